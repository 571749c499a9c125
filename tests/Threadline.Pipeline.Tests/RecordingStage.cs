using Threadline.Core.Model;

namespace Threadline.Pipeline.Tests;

/// <summary>A last stage that keeps the batches it is given, or throws when told to.</summary>
internal sealed class RecordingStage : IBatchConsumer
{
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyList<Span>> _batches = [];

    public Exception? Failure { get; set; }

    public IReadOnlyList<IReadOnlyList<Span>> Batches
    {
        get
        {
            lock (_lock) return [.. _batches];
        }
    }

    public IReadOnlyList<Span> Spans => [.. Batches.SelectMany(b => b)];

    public ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
    {
        if (Failure is { } failure) throw failure;
        lock (_lock) _batches.Add(batch);
        return ValueTask.CompletedTask;
    }
}
