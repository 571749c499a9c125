namespace Threadline.Protocol.Tempo;

/// <summary>Tempo's <c>tempopb.SearchTagsResponse</c> (<c>/api/search/tags</c>).</summary>
public sealed record TempoSearchTagsResponse(IReadOnlyList<string> TagNames);

/// <summary>Tempo's <c>tempopb.SearchTagsV2Response</c> (<c>/api/v2/search/tags</c>): tag names per scope.</summary>
public sealed record TempoSearchTagsV2Response(IReadOnlyList<TempoTagScope> Scopes);

/// <summary>Tempo's <c>tempopb.SearchTagsV2Scope</c>: <c>resource</c>, <c>span</c>, …, or <c>intrinsic</c>.</summary>
public sealed record TempoTagScope(string Name, IReadOnlyList<string> Tags);

/// <summary>Tempo's <c>tempopb.SearchTagValuesResponse</c> (<c>/api/search/tag/{tag}/values</c>).</summary>
public sealed record TempoSearchTagValuesResponse(IReadOnlyList<string> TagValues);

/// <summary>Tempo's <c>tempopb.SearchTagValuesV2Response</c> (<c>/api/v2/search/tag/{tag}/values</c>).</summary>
public sealed record TempoSearchTagValuesV2Response(IReadOnlyList<TempoTagValue> TagValues);

/// <summary>
/// Tempo's <c>tempopb.TagValue</c>: a value as TraceQL text and its TraceQL type
/// (<see cref="TempoTagValue.TypeString"/>, <see cref="TempoTagValue.TypeInt"/>, …).
/// </summary>
public sealed record TempoTagValue(string Type, string Value)
{
    public const string TypeString = "string";
    public const string TypeInt = "int";
    public const string TypeFloat = "float";
    public const string TypeBool = "bool";
    public const string TypeDuration = "duration";

    /// <summary>Status and kind values (<c>error</c>, <c>server</c>), written bare in TraceQL.</summary>
    public const string TypeKeyword = "keyword";
}
