namespace Threadline.Pipeline.Sampling.Policies;

/// <summary><c>span_count</c>: keeps traces with at least <c>min_spans</c> and, when set, at most <c>max_spans</c> spans.</summary>
public sealed class SpanCountPolicy(string name, int minSpans, int? maxSpans) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        var count = trace.Spans.Count;
        return count >= minSpans && (maxSpans is not { } max || count <= max) ? PolicyVerdict.Sampled : PolicyVerdict.NotSampled;
    }
}
