using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;

namespace Threadline.Query.TraceQL.Search;

/// <summary>
/// Keeps the newest <c>limit</c> matching traces (by trace start) in bounded memory, and turns
/// evaluated spansets into results: spans newest first, at most spans-per-spanset of them, with
/// the fields the query reads or selects under Tempo's names.
/// </summary>
internal sealed class SearchResults(int limit, int spansPerSpanset, IReadOnlyList<FieldExpression> outputFields)
{
    private readonly PriorityQueue<TraceQLTrace, (ulong Start, TraceId Id)> _newest = new();

    public int Count => _newest.Count;

    public int Limit => limit;

    /// <summary>Whether a trace starting then could still enter the results.</summary>
    public bool Admits(ulong traceStartUnixNano, TraceId traceId) =>
        _newest.Count < limit || _newest.TryPeek(out _, out var oldest) && (traceStartUnixNano, traceId).CompareTo(oldest) > 0;

    public void Add(ISpanView view, FieldEvaluator fields, List<EvaluatedSpanset> spansets)
    {
        var key = (view.TraceStartUnixNano, view.TraceId);
        if (spansets.Count == 0 || !Admits(key.TraceStartUnixNano, key.TraceId)) return;
        var trace = new TraceQLTrace
        {
            TraceId = view.TraceId,
            RootServiceName = view.RootServiceName,
            RootSpanName = view.RootSpanName,
            StartUnixNano = view.TraceStartUnixNano,
            DurationNanos = view.TraceDurationNanos,
            Spansets = [.. spansets.Select(s => ToSpanset(view, fields, s))],
        };
        _newest.Enqueue(trace, key);
        if (_newest.Count > limit) _newest.Dequeue();
    }

    /// <summary>The kept traces, newest first.</summary>
    public List<TraceQLTrace> Newest()
    {
        var traces = new List<TraceQLTrace>(_newest.Count);
        while (_newest.Count > 0) traces.Add(_newest.Dequeue());
        traces.Reverse();
        return traces;
    }

    private TraceQLSpanset ToSpanset(ISpanView view, FieldEvaluator fields, EvaluatedSpanset spanset)
    {
        var shown = spanset.Spans
            .OrderByDescending(view.StartUnixNano)
            .ThenBy(s => view.SpanId(s))
            .Take(spansPerSpanset)
            .Select(s => ToSpan(view, fields, s))
            .ToList();
        return new TraceQLSpanset { Spans = shown, Matched = spanset.Spans.Count, Attributes = spanset.Attributes };
    }

    private TraceQLSpan ToSpan(ISpanView view, FieldEvaluator fields, int span)
    {
        var attributes = new List<TraceQLAttribute>(outputFields.Count);
        foreach (var field in outputFields)
        {
            var value = fields.Evaluate(field, view, span);
            if (!value.IsPresent) continue;
            var name = field is AttributeExpression attribute ? attribute.Name : field.ToString();
            if (!attributes.Exists(a => a.Name == name)) attributes.Add(new TraceQLAttribute(name, value.ToAttributeValue()));
        }
        return new TraceQLSpan
        {
            SpanId = view.SpanId(span),
            Name = view.Name(span),
            StartUnixNano = view.StartUnixNano(span),
            DurationNanos = view.DurationNanos(span),
            Attributes = attributes,
        };
    }
}
