using Threadline.Core.Model;

namespace Threadline.Server.Api.Ui;

/// <summary>
/// The outlines the UI is paging through. The UI asks for a big trace's outline in chunks; building
/// it means reading every span from the store, so the outline built for the first chunk serves the
/// rest (and the span-detail clicks that follow). Bounded by entries, by spans in total and by age;
/// the oldest goes first.
/// </summary>
internal sealed class TraceOutlineCache
{
    /// <summary>Outlines kept at once.</summary>
    public const int MaxEntries = 4;

    /// <summary>Spans kept over all outlines; a bigger trace is built per request and not kept.</summary>
    public const int MaxSpans = 1_500_000;

    /// <summary>How long an outline serves later chunks; a trace still growing is re-read after this.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<(TraceOutline Outline, long AddedAt)> _entries = [];

    public TraceOutlineCache(TimeProvider time) => _time = time;

    public TraceOutline? Find(TraceId traceId)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _entries.RemoveAll(entry => _time.GetElapsedTime(entry.AddedAt, now) > Lifetime);
            foreach (var (outline, _) in _entries)
            {
                if (outline.TraceId == traceId) return outline;
            }
            return null;
        }
    }

    public void Add(TraceOutline outline)
    {
        if (outline.Count > MaxSpans) return;
        lock (_lock)
        {
            _entries.RemoveAll(entry => entry.Outline.TraceId == outline.TraceId);
            _entries.Add((outline, _time.GetTimestamp()));
            var total = 0L;
            foreach (var (kept, _) in _entries) total += kept.Count;
            while (_entries.Count > MaxEntries || total > MaxSpans)
            {
                total -= _entries[0].Outline.Count;
                _entries.RemoveAt(0);
            }
        }
    }
}
