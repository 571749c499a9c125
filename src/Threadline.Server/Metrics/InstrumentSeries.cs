using System.Diagnostics.Metrics;
using System.Globalization;

namespace Threadline.Server.Metrics;

/// <summary>The values one instrument has reported, one aggregate per distinct set of labels.</summary>
internal sealed class InstrumentSeries
{
    // Used when a histogram gives no bucket advice: suits durations in seconds.
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Aggregate> _points = new(StringComparer.Ordinal);
    private readonly MetricKind _kind;
    // Counter and UpDownCounter report increments; observable instruments and Gauge report the value itself.
    private readonly bool _adds;
    private readonly double[] _bounds = [];
    private readonly Instrument _instrument;

    public InstrumentSeries(Instrument instrument)
    {
        _instrument = instrument;
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        _adds = definition == typeof(Counter<>) || definition == typeof(UpDownCounter<>);
        if (definition == typeof(Histogram<>))
        {
            _kind = MetricKind.Histogram;
            _bounds = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBounds,
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBounds,
                _ => DefaultBounds,
            };
        }
        else if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
        {
            _kind = MetricKind.Counter;
        }
        else
        {
            _kind = MetricKind.Gauge;
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var key = string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value));
        lock (_lock)
        {
            if (!_points.TryGetValue(key, out var aggregate))
            {
                aggregate = new Aggregate(labels, _kind == MetricKind.Histogram ? new long[_bounds.Length + 1] : null);
                _points.Add(key, aggregate);
            }
            switch (_kind)
            {
                case MetricKind.Histogram:
                    aggregate.Value += value;
                    aggregate.Count++;
                    var bucket = Array.FindIndex(_bounds, b => value <= b);
                    aggregate.Buckets![bucket < 0 ? _bounds.Length : bucket]++;
                    break;
                case MetricKind.Counter or MetricKind.Gauge when _adds:
                    aggregate.Value += value;
                    break;
                default:
                    aggregate.Value = value;
                    break;
            }
        }
    }

    public MetricSnapshot Snapshot()
    {
        lock (_lock)
        {
            var points = _points.Values
                .Select(a => new MetricPoint(a.Labels, a.Value, a.Count, _kind == MetricKind.Histogram ? _bounds : null, a.Buckets is null ? null : [.. a.Buckets]))
                .ToArray();
            return new MetricSnapshot(_instrument.Name, _instrument.Description, _instrument.Unit, _kind, points);
        }
    }

    private static KeyValuePair<string, string>[] Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
            labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private sealed class Aggregate(KeyValuePair<string, string>[] labels, long[]? buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;
        public long[]? Buckets { get; } = buckets;
        public double Value { get; set; }
        public long Count { get; set; }
    }
}
