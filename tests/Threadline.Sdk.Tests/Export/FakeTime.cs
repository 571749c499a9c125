using Threadline.Sdk.Export.Otlp;

namespace Threadline.Sdk.Tests.Export;

/// <summary>A clock that moves only when told to.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// Records each wait the exporter asks for and moves the fake clock by it instead of waiting.
/// <see cref="Gate"/>, when set, holds the next wait open until the test releases it.
/// </summary>
internal sealed class RecordingRetryDelay(ManualTimeProvider time) : IRetryDelay
{
    private readonly List<TimeSpan> _delays = [];

    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays) return _delays.ToArray();
        }
    }

    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (_delays) _delays.Add(delay);
        time.Advance(delay);
        WaitStarted.TrySetResult();
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
    }
}
