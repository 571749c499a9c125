using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Deciding;

/// <summary>
/// A kept span with the sampling decision on it: <c>sampling.adjusted_count</c> (how many spans
/// this one stands for; 1 for a trace every match of which is kept) and <c>sampling.policy</c>
/// (the policy that kept it), so RED computed from stored spans can weight by it.
/// </summary>
internal static class KeptSpan
{
    public const string AdjustedCountKey = "sampling.adjusted_count";
    public const string PolicyKey = "sampling.policy";

    public static Span With(Span span, SamplingDecision decision)
    {
        var attributes = new KeyValue[span.Attributes.Length + 2];
        span.Attributes.CopyTo(attributes, 0);
        attributes[^2] = new KeyValue(AdjustedCountKey, decision.AdjustedCount);
        attributes[^1] = new KeyValue(PolicyKey, decision.Policy);
        return new Span
        {
            TraceId = span.TraceId,
            SpanId = span.SpanId,
            ParentSpanId = span.ParentSpanId,
            TraceState = span.TraceState,
            Flags = span.Flags,
            Name = span.Name,
            Kind = span.Kind,
            StartTimeUnixNano = span.StartTimeUnixNano,
            EndTimeUnixNano = span.EndTimeUnixNano,
            Attributes = attributes,
            DroppedAttributesCount = span.DroppedAttributesCount,
            Events = span.Events,
            DroppedEventsCount = span.DroppedEventsCount,
            Links = span.Links,
            DroppedLinksCount = span.DroppedLinksCount,
            Status = span.Status,
            Resource = span.Resource,
            Scope = span.Scope,
        };
    }
}
