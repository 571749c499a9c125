using Threadline.Query.Parameters;

namespace Threadline.Query.Search;

/// <summary>The parameters of a tag-values request: <c>limit</c>, within the service's bounds.</summary>
public static class TagValuesQueryParser
{
    public const string LimitParameter = "limit";

    /// <summary>The limit given, or <see cref="TraceSearchService.DefaultTagValuesLimit"/>; false with an error naming <c>limit</c>.</summary>
    public static bool TryParseLimit(IQueryParameters parameters, out int limit, out ParameterError error)
    {
        limit = TraceSearchService.DefaultTagValuesLimit;
        if (!SingleValue.TryGet(parameters, LimitParameter, out var text, out error)) return false;
        return text is null
            || LimitParser.TryParse(LimitParameter, text, 1, TraceSearchService.MaxTagValuesLimit, TraceSearchService.DefaultTagValuesLimit, out limit, out error);
    }
}
