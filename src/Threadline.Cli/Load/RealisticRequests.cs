using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Protocol.Otlp;

namespace Threadline.Cli.Load;

/// <summary>
/// Export requests of whole realistic traces (<see cref="RealisticTraceGenerator"/>), each encoded
/// fresh, so that every span id, start time and value is new: what storage figures need, where
/// repeated templates would flatter compression. Stops after a total number of spans. Workers
/// take turns: generating under a lock keeps a seed's data identical whatever the concurrency.
/// </summary>
internal sealed class RealisticRequests : ILoadRequestSource
{
    private readonly Lock _lock = new();
    private readonly RealisticTraceGenerator _generator;
    private readonly int _spansPerRequest;
    private readonly long _totalSpans;
    private readonly List<Span> _batch = [];

    /// <param name="settings">Seed, start and mean trace interval: the same settings give the same requests.</param>
    /// <param name="spansPerRequest">Whole traces are added until a request holds at least this many spans.</param>
    /// <param name="totalSpans">No request starts once this many spans were handed out.</param>
    public RealisticRequests(RealisticDataSettings settings, int spansPerRequest, long totalSpans)
    {
        _generator = new RealisticTraceGenerator(settings.Seed, settings.FirstTraceStartUnixNano, settings.MeanTraceIntervalNanos);
        _spansPerRequest = spansPerRequest;
        _totalSpans = totalSpans;
    }

    /// <summary>Spans handed out so far.</summary>
    public long SpansGenerated
    {
        get { lock (_lock) return _generator.SpansGenerated; }
    }

    /// <summary>
    /// Generates and drops traces until <paramref name="spans"/> were made, without encoding:
    /// a second run of the same data picks up after the part another source sent already.
    /// </summary>
    public void Skip(long spans)
    {
        lock (_lock)
        {
            while (_generator.SpansGenerated < spans && _generator.SpansGenerated < _totalSpans) _generator.NextTrace();
        }
    }

    public LoadRequest? Next()
    {
        lock (_lock)
        {
            if (_generator.SpansGenerated >= _totalSpans) return null;
            _batch.Clear();
            _generator.FillBatch(_batch, (int)Math.Min(_spansPerRequest, _totalSpans - _generator.SpansGenerated));
            return new LoadRequest(OtlpProtobufEncoder.EncodeExportRequest(_batch), _batch.Count, ProbeOf(_batch));
        }
    }

    /// <summary>The first trace of the batch that has a user: the queries look its id and its user up.</summary>
    private static TraceProbe? ProbeOf(List<Span> batch)
    {
        TraceProbe? anyTrace = null;
        foreach (var span in batch)
        {
            if (!span.IsRoot) continue;
            if (span.TryGetAttribute("user.id", out var user)) return new TraceProbe(span.TraceId, user.AsString());
            anyTrace ??= new TraceProbe(span.TraceId, null);
        }
        return anyTrace;
    }
}

/// <summary>What fixes the realistic data of a run: the generator's seed, first trace start and mean gap between traces.</summary>
internal sealed record RealisticDataSettings(int Seed, ulong FirstTraceStartUnixNano, ulong MeanTraceIntervalNanos)
{
    /// <summary>
    /// Data for a run starting now: traces start half an hour ago, one per millisecond on average,
    /// so ten million spans (about 600,000 traces) end well before now and all fall in a
    /// "last hour" search.
    /// </summary>
    public static RealisticDataSettings StartingHalfAnHourAgo(int seed) =>
        new(seed, (ulong)(DateTime.UtcNow.AddMinutes(-30) - DateTime.UnixEpoch).Ticks * 100, 1_000_000);
}
