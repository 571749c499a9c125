using Threadline.Core.Model;

namespace Threadline.Pipeline;

/// <summary>
/// A submission admitted by <see cref="IngestQueue.TryEnqueue"/>. A receiver awaits
/// <see cref="Completion"/> before acknowledging its sender.
/// </summary>
public sealed class IngestTicket
{
    // Continuations run on the thread pool, not inline on the worker that completes the
    // ticket, so a slow receiver continuation cannot hold up the next store append.
    private readonly TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal IngestTicket(IReadOnlyList<Span> spans)
    {
        Spans = spans;
        SpanCount = spans.Count;
    }

    /// <summary>A ticket for an empty submission: nothing to store, so already complete.</summary>
    internal static IngestTicket Empty { get; } = CreateEmpty();

    /// <summary>Spans in the submission.</summary>
    public int SpanCount { get; }

    /// <summary>
    /// Completes when the pipeline's stages have handled the spans: the store accepted them
    /// (durably, for a durable engine), or a stage dropped them and counted it. Faults with the
    /// stage's exception when a stage or the store failed (answer 503, retryable); is cancelled
    /// when the queue was stopped without waiting for it.
    /// </summary>
    public Task Completion => _stored.Task;

    internal IReadOnlyList<Span> Spans { get; }

    internal void MarkStored() => _stored.TrySetResult();

    internal void MarkFailed(Exception exception) => _stored.TrySetException(exception);

    internal void MarkAbandoned(CancellationToken cancellationToken) => _stored.TrySetCanceled(cancellationToken);

    private static IngestTicket CreateEmpty()
    {
        var ticket = new IngestTicket([]);
        ticket.MarkStored();
        return ticket;
    }
}
