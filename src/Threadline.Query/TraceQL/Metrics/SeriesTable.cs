using Threadline.Query.TraceQL.Ast;
using Threadline.Core.Model;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// The series of a first-stage function, keyed by their label values, each with its
/// <see cref="SeriesCells"/> and a few exemplars. Bounded: a query that would make more than
/// the allowed series is refused, naming the bound, rather than growing without limit.
/// </summary>
internal sealed class SeriesTable(MetricsQuery query, StepGrid grid, int maxSeries, int maxExemplars)
{
    private readonly Dictionary<SeriesKey, Series> _series = [];
    private Series? _last;
    private SeriesKey _lastKey;

    public int Count => _series.Count;

    /// <summary>The series for these label values, made when new.</summary>
    /// <exception cref="TraceQLQueryException">It would be one series more than allowed.</exception>
    public Series Get(AttributeValue[] scratch)
    {
        var key = new SeriesKey(scratch);
        // Spans of one trace (and of one service) mostly land in the same series.
        if (_last is not null && _lastKey.Equals(key)) return _last;
        if (!_series.TryGetValue(key, out var series))
        {
            if (_series.Count >= maxSeries)
            {
                throw new TraceQLQueryException(
                    $"The metrics query makes more than {maxSeries} series (TraceQL option MaxSeries). Group by fewer or less varied fields, or filter more.");
            }
            key = key.Copy();
            series = new Series(key, new SeriesCells(query.Function, grid.Count, query.Field?.IsDuration ?? false));
            _series.Add(key, series);
        }
        _last = series;
        _lastKey = series.Key;
        return series;
    }

    public IEnumerable<Series> All => _series.Values;

    /// <summary>Whether the series keeps an exemplar for this step: a few per series, at most one per step.</summary>
    public bool WantsExemplar(Series series, int step) =>
        series.Exemplars.Count < maxExemplars && !series.ExemplarSteps.Contains(step);

    internal sealed class Series(SeriesKey key, SeriesCells cells)
    {
        public SeriesKey Key { get; } = key;
        public SeriesCells Cells { get; } = cells;
        public List<Exemplar> Exemplars { get; } = [];
        public HashSet<int> ExemplarSteps { get; } = [];

        public void AddExemplar(Exemplar exemplar)
        {
            ExemplarSteps.Add(exemplar.Step);
            Exemplars.Add(exemplar);
        }
    }

    /// <summary>A span behind a value: its ids, the value it contributed (NaN: the step's sample) and its step.</summary>
    internal readonly record struct Exemplar(string TraceId, string SpanId, double Value, int Step, long TimestampMs);
}
