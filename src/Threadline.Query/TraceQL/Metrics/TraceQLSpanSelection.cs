using Threadline.Query.TraceQL.Ast;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>The spans of a metrics pipeline's selection, evaluated by the TraceQL evaluator.</summary>
internal sealed class TraceQLSpanSelection(SpansetExpression selection, TraceQLOptions options) : ISpanSelection
{
    // Placeholder until branch traceql publishes its evaluator.
    public ValueTask<(long Traces, long Spans)> ScanAsync(ITraceStore store, ulong startUnixNano, ulong endUnixNano, TenantId tenant,
        IReadOnlyList<FieldExpression> reads, bool wholeSpans, Action<SelectedSpan> sink, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"Scanning {selection} needs the TraceQL evaluator ({options.GetType().Name}).");
}
