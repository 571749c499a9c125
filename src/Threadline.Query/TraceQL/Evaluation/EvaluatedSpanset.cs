namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>A spanset during evaluation: span indices into the trace's <see cref="ISpanView"/>, and the attributes stages added (by(), aggregates).</summary>
internal sealed class EvaluatedSpanset(List<int> spans, List<TraceQLAttribute> attributes)
{
    public List<int> Spans { get; } = spans;
    public List<TraceQLAttribute> Attributes { get; } = attributes;

    public static EvaluatedSpanset Whole(ISpanView view) => new([.. Enumerable.Range(0, view.Count)], []);

    /// <summary>A spanset holding <paramref name="spans"/> and a copy of this one's attributes.</summary>
    public EvaluatedSpanset With(List<int> spans) => new(spans, [.. Attributes]);
}
