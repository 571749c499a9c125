namespace Threadline.Sdk.Processing;

/// <summary>
/// How a <see cref="BatchSpanProcessor"/> queues and sends spans. Defaults follow the OpenTelemetry
/// specification; the OTEL_BSP_* environment variables change them.
/// </summary>
public sealed class BatchExportOptions
{
    private int _maxQueueSize = 2048;
    private int _maxExportBatchSize = 512;
    private TimeSpan _scheduledDelay = TimeSpan.FromSeconds(5);
    private TimeSpan _exportTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Most spans waiting for export; spans ending while the queue is full are dropped and counted. Default 2048.</summary>
    public int MaxQueueSize
    {
        get => _maxQueueSize;
        set => _maxQueueSize = Positive(value);
    }

    /// <summary>Most spans per export call; a full batch is sent without waiting for the delay. Default 512.</summary>
    public int MaxExportBatchSize
    {
        get => _maxExportBatchSize;
        set => _maxExportBatchSize = Positive(value);
    }

    /// <summary>Longest time a span waits in the queue before it is sent. Default 5 seconds.</summary>
    public TimeSpan ScheduledDelay
    {
        get => _scheduledDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _scheduledDelay = value;
        }
    }

    /// <summary>Longest time one export call may take before it is cancelled. Default 30 seconds.</summary>
    public TimeSpan ExportTimeout
    {
        get => _exportTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _exportTimeout = value;
        }
    }

    internal BatchExportOptions Clone() => (BatchExportOptions)MemberwiseClone();

    private static int Positive(int value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return value;
    }
}
