using Threadline.Core.Model;

namespace Threadline.Pipeline;

/// <summary>
/// One stage of the ingest pipeline behind <see cref="IngestQueue"/>: a processor (limits, later
/// redaction and the tail sampler) that hands what it keeps to the next stage, or the last stage
/// (the store writer, or the decode-only discarder). The queue calls the first stage; each stage
/// calls the next.
/// </summary>
public interface IBatchConsumer
{
    /// <summary>
    /// Handles <paramref name="batch"/>. Completes only when the batch is durably handled: stored
    /// by the last stage, or deliberately dropped and counted. Throws when it could not be
    /// handled, so that the queue fails the batch's tickets and the senders retry. The list
    /// belongs to the caller: a stage that changes spans passes a new list on.
    /// </summary>
    ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken);
}
