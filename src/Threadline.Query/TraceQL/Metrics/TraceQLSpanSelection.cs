using System.Runtime.CompilerServices;
using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>The spans of a metrics pipeline's selection, evaluated by the TraceQL evaluator.</summary>
internal sealed class TraceQLSpanSelection(SpansetExpression selection, TraceQLOptions options) : ISpanSelection
{
    public SpansetExpression Selection { get; } = selection;

    public async IAsyncEnumerable<Spanset> SelectAsync(ITraceStore store, ulong startUnixNano, ulong endUnixNano, TenantId tenant,
        IReadOnlyList<Condition> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _ = options;
        await Task.Yield();
        throw new NotImplementedException("waiting for the traceql evaluator");
#pragma warning disable CS0162
        yield break;
#pragma warning restore CS0162
    }

    /// <summary>A test of compare()'s filter on one span of a whole trace.</summary>
    public Func<Span, IReadOnlyList<Span>, bool> PredicateFor(SpansetFilter filter) => throw new NotImplementedException();
}
