using System.Globalization;

namespace Threadline.Sdk.Diagnostics;

/// <summary>
/// Tells the user when one exporter's spans stop arriving, without flooding the log: the first failed
/// export in full, then at most one summary per interval (failed exports, spans lost, the last error
/// and what to check) while failures go on, and one message when an export succeeds again. Called once
/// per batch by the exporter, never per span; nothing runs in between (no timer), so the last summary
/// of a failure streak is written by the next failure, the recovery, or <see cref="Close"/>.
/// </summary>
internal sealed class ExportHealthReporter
{
    private readonly object _lock = new();
    private readonly DiagnosticsWriter _writer;
    private readonly string _destination;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;

    private volatile bool _failing;
    private long _lastMessageAt;
    private long _queueDropsAtLastMessage;
    private int _failedExports;
    private long _lostSpans;
    private string _lastError = string.Empty;
    private string? _lastAdvice;

    public ExportHealthReporter(DiagnosticsWriter writer, string destination, TimeSpan interval, TimeProvider time)
    {
        _writer = writer;
        _destination = destination;
        _interval = interval;
        _time = time;
    }

    /// <summary>An export failed for good: its <paramref name="lostSpans"/> will not be delivered.</summary>
    public void ExportFailed(long lostSpans, string error, string? advice)
    {
        lock (_lock)
        {
            _failedExports++;
            _lostSpans += lostSpans;
            _lastError = error;
            _lastAdvice = advice;
            var now = _time.GetTimestamp();
            if (!_failing)
            {
                _failing = true;
                _writer.Warning(
                    $"spans are not reaching {_destination}: {error}.{Check(advice)} {Spans(lostSpans)} lost. " +
                    $"While this lasts, a summary follows at most every {Format(_interval)}; set {SdkDiagnosticsOptions.EnvironmentVariable}=off to turn these messages off.");
                Restart(now);
            }
            else if (_time.GetElapsedTime(_lastMessageAt, now) >= _interval)
            {
                WriteSummary(now);
            }
        }
    }

    /// <summary>An export was delivered; after failures, says once that export works again.</summary>
    public void ExportSucceeded()
    {
        if (!_failing) return;
        lock (_lock)
        {
            if (!_failing) return;
            _failing = false;
            var since = _failedExports == 0
                ? string.Empty
                : $" ({_failedExports} more failed export(s) and {Spans(_lostSpans)} lost since the last message)";
            _writer.Information($"export to {_destination} works again{since}.");
            Restart(_time.GetTimestamp());
        }
    }

    /// <summary>At shutdown: what was lost since the last message, so the end of a streak is not silent.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_failing && _failedExports > 0) WriteSummary(_time.GetTimestamp());
        }
    }

    private void WriteSummary(long now)
    {
        var queueDrops = SdkEventSource.Log.SpansDroppedTotal - _queueDropsAtLastMessage;
        var queue = queueDrops > 0 ? $", and {Spans(queueDrops)} dropped because the export queue was full" : string.Empty;
        _writer.Warning(
            $"export to {_destination} is still failing: {_failedExports} failed export(s) and {Spans(_lostSpans)} lost in the last " +
            $"{Format(_time.GetElapsedTime(_lastMessageAt, now))}{queue}. Last error: {_lastError}.{Check(_lastAdvice)}");
        Restart(now);
    }

    private void Restart(long now)
    {
        _lastMessageAt = now;
        _queueDropsAtLastMessage = SdkEventSource.Log.SpansDroppedTotal;
        _failedExports = 0;
        _lostSpans = 0;
    }

    private static string Check(string? advice) => advice is null ? string.Empty : $" What to check: {advice}.";

    private static string Spans(long count) => count == 1 ? "1 span" : count.ToString(CultureInfo.InvariantCulture) + " spans";

    private static string Format(TimeSpan value) =>
        value >= TimeSpan.FromMinutes(1) && value.Seconds == 0
            ? value.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min"
            : value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
