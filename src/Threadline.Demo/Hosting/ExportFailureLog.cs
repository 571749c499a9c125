namespace Threadline.Demo.Hosting;

/// <summary>
/// Tells the user that spans are not reaching the OTLP endpoint: the first failed export at once,
/// naming the endpoint, then at most one summary per <see cref="Interval"/> while failures go on,
/// so a demo pointed at the wrong address says so instead of running on in silence, without a line
/// per batch from every service.
/// </summary>
internal sealed class ExportFailureLog
{
    /// <summary>The least time between two reports after the first.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly TextWriter _log;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly SortedSet<string> _failingServices = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastReport;
    private long _unreported;

    public ExportFailureLog(TextWriter log, Uri endpoint, TimeProvider time)
    {
        _log = log;
        _endpoint = endpoint;
        _time = time;
    }

    /// <summary>Counts one failed export by <paramref name="service"/>; writes a line when one is due.</summary>
    public void Report(string service, string detail)
    {
        string? line = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _unreported++;
            _failingServices.Add(service);
            if (_lastReport is null)
            {
                line = $"warning: spans are not reaching {_endpoint}: {service}: {detail}. Is `threadline serve` (or another OTLP receiver) listening there? (--otlp-endpoint, --otlp-protocol)";
            }
            else if (now - _lastReport.Value >= Interval)
            {
                line = $"warning: still failing to export to {_endpoint}: {_unreported} failed export(s) from {string.Join(", ", _failingServices)} since the last report; latest: {detail}.";
            }
            if (line is null) return;
            _lastReport = now;
            _unreported = 0;
            _failingServices.Clear();
        }
        _log.WriteLine(line);
    }
}
