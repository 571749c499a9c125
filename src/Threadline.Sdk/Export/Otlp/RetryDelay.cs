namespace Threadline.Sdk.Export.Otlp;

/// <summary>
/// Waits between export attempts. The exporter's only source of waiting, so tests replace it to
/// observe the delays it chose without spending them.
/// </summary>
internal interface IRetryDelay
{
    Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>Waits on the given clock.</summary>
internal sealed class TimerRetryDelay(TimeProvider time) : IRetryDelay
{
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, time, cancellationToken);
}

/// <summary>Exponential backoff with proportional jitter, per <see cref="OtlpRetryOptions"/>.</summary>
internal struct RetryBackoff(OtlpRetryOptions options, Func<double> random)
{
    private TimeSpan _current = options.InitialBackoff;

    /// <summary>The wait before the next attempt; each call grows the backoff for the one after.</summary>
    public TimeSpan Next()
    {
        var factor = 1 + (options.Jitter * ((2 * random()) - 1));
        var delay = TimeSpan.FromTicks((long)(_current.Ticks * factor));
        if (delay > options.MaxBackoff) delay = options.MaxBackoff;
        var grown = _current.Ticks * options.BackoffMultiplier;
        _current = grown >= options.MaxBackoff.Ticks ? options.MaxBackoff : TimeSpan.FromTicks((long)grown);
        return delay;
    }
}
