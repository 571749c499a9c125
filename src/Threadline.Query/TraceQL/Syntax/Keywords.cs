using System.Collections.Frozen;
using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Syntax;

/// <summary>TraceQL's reserved words, intrinsic names and scope prefixes.</summary>
internal static class Keywords
{
    public static readonly FrozenDictionary<string, TokenKind> Words = new Dictionary<string, TokenKind>(StringComparer.Ordinal)
    {
        ["true"] = TokenKind.True,
        ["false"] = TokenKind.False,
        ["nil"] = TokenKind.Nil,
        ["ok"] = TokenKind.StatusOk,
        ["error"] = TokenKind.StatusError,
        ["unset"] = TokenKind.StatusUnset,
        ["unspecified"] = TokenKind.KindUnspecified,
        ["internal"] = TokenKind.KindInternal,
        ["server"] = TokenKind.KindServer,
        ["client"] = TokenKind.KindClient,
        ["producer"] = TokenKind.KindProducer,
        ["consumer"] = TokenKind.KindConsumer,
        ["count"] = TokenKind.Count,
        ["avg"] = TokenKind.Avg,
        ["max"] = TokenKind.Max,
        ["min"] = TokenKind.Min,
        ["sum"] = TokenKind.Sum,
        ["by"] = TokenKind.By,
        ["coalesce"] = TokenKind.Coalesce,
        ["select"] = TokenKind.Select,
        ["rate"] = TokenKind.Rate,
        ["count_over_time"] = TokenKind.CountOverTime,
        ["min_over_time"] = TokenKind.MinOverTime,
        ["max_over_time"] = TokenKind.MaxOverTime,
        ["avg_over_time"] = TokenKind.AvgOverTime,
        ["sum_over_time"] = TokenKind.SumOverTime,
        ["quantile_over_time"] = TokenKind.QuantileOverTime,
        ["histogram_over_time"] = TokenKind.HistogramOverTime,
        ["compare"] = TokenKind.Compare,
        ["topk"] = TokenKind.TopK,
        ["bottomk"] = TokenKind.BottomK,
        ["with"] = TokenKind.With,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Intrinsics written without a scope (the older spellings Tempo still accepts).</summary>
    public static readonly FrozenDictionary<string, Intrinsic> UnscopedIntrinsics = new Dictionary<string, Intrinsic>(StringComparer.Ordinal)
    {
        ["duration"] = Intrinsic.Duration,
        ["name"] = Intrinsic.Name,
        ["status"] = Intrinsic.Status,
        ["statusMessage"] = Intrinsic.StatusMessage,
        ["kind"] = Intrinsic.Kind,
        ["rootName"] = Intrinsic.TraceRootName,
        ["rootServiceName"] = Intrinsic.TraceRootService,
        ["traceDuration"] = Intrinsic.TraceDuration,
        ["nestedSetLeft"] = Intrinsic.NestedSetLeft,
        ["nestedSetRight"] = Intrinsic.NestedSetRight,
        ["nestedSetParent"] = Intrinsic.NestedSetParent,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Intrinsics written <c>scope:name</c>, keyed by scope then name.</summary>
    public static readonly FrozenDictionary<string, FrozenDictionary<string, Intrinsic>> ScopedIntrinsics =
        new Dictionary<string, FrozenDictionary<string, Intrinsic>>(StringComparer.Ordinal)
        {
            ["trace"] = Map(("duration", Intrinsic.TraceDuration), ("rootName", Intrinsic.TraceRootName),
                ("rootService", Intrinsic.TraceRootService), ("id", Intrinsic.TraceId)),
            ["span"] = Map(("duration", Intrinsic.Duration), ("name", Intrinsic.Name), ("kind", Intrinsic.Kind),
                ("status", Intrinsic.Status), ("statusMessage", Intrinsic.StatusMessage), ("id", Intrinsic.SpanId),
                ("parentID", Intrinsic.ParentId), ("childCount", Intrinsic.ChildCount)),
            ["event"] = Map(("name", Intrinsic.EventName), ("timeSinceStart", Intrinsic.EventTimeSinceStart)),
            ["link"] = Map(("traceID", Intrinsic.LinkTraceId), ("spanID", Intrinsic.LinkSpanId)),
            ["instrumentation"] = Map(("name", Intrinsic.InstrumentationName), ("version", Intrinsic.InstrumentationVersion)),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Scopes written <c>scope.key</c>.</summary>
    public static readonly FrozenDictionary<string, AttributeScope> AttributeScopes = new Dictionary<string, AttributeScope>(StringComparer.Ordinal)
    {
        ["span"] = AttributeScope.Span,
        ["resource"] = AttributeScope.Resource,
        ["event"] = AttributeScope.Event,
        ["link"] = AttributeScope.Link,
        ["instrumentation"] = AttributeScope.Instrumentation,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static FrozenDictionary<string, Intrinsic> Map(params (string Name, Intrinsic Intrinsic)[] entries) =>
        entries.ToFrozenDictionary(e => e.Name, e => e.Intrinsic, StringComparer.Ordinal);
}
