using Threadline.Core.Model;

namespace Threadline.Query.Parameters;

/// <summary>Parses a trace id as the APIs take it: 32 hex digits, or 16 for a 64-bit (Zipkin/B3) id.</summary>
public static class TraceIdParser
{
    /// <summary>The id, or false with an error naming <paramref name="parameter"/>; the all-zero id is refused.</summary>
    public static bool TryParse(string parameter, string text, out TraceId traceId, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = default;
        if (TraceId.TryParse(text, out traceId) && !traceId.IsEmpty)
            return true;
        error = ParameterError.Create(parameter, $"is '{ParameterError.Echo(text)}'; give 32 hex digits (or 16 for a 64-bit id), not all zero");
        return false;
    }
}
