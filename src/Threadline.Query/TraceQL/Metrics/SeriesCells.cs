using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Aggregates;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// One series' state per step, shaped by the function: counts for <c>rate</c>,
/// <c>count_over_time</c> and histogram buckets; a running sum, minimum or maximum (and a count
/// for the average); a sketch per step for quantiles. Values are kept in the field's own unit
/// (nanoseconds for durations) and scaled when samples are read.
/// </summary>
internal sealed class SeriesCells
{
    private const double SecondsPerNano = 1e-9;

    private readonly MetricsFunction _function;
    private readonly double _scale;
    private readonly long[]? _counts;
    private readonly double[]? _values;
    private readonly DurationSketch?[]? _durations;
    private readonly NumberSketch?[]? _numbers;

    public SeriesCells(MetricsFunction function, int steps, bool durationValues)
    {
        _function = function;
        _scale = durationValues ? SecondsPerNano : 1;
        switch (function)
        {
            case MetricsFunction.Rate or MetricsFunction.CountOverTime or MetricsFunction.HistogramOverTime:
                _counts = new long[steps];
                break;
            case MetricsFunction.AvgOverTime:
                _counts = new long[steps];
                _values = new double[steps];
                break;
            case MetricsFunction.SumOverTime or MetricsFunction.MinOverTime or MetricsFunction.MaxOverTime:
                _values = new double[steps];
                Array.Fill(_values, double.NaN);
                break;
            case MetricsFunction.QuantileOverTime when durationValues:
                _durations = new DurationSketch?[steps];
                break;
            case MetricsFunction.QuantileOverTime:
                _numbers = new NumberSketch?[steps];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(function), function, null);
        }
    }

    /// <summary>Counts <paramref name="spans"/> spans in a step (counting functions only).</summary>
    public void Count(int step, long spans) => _counts![step] += spans;

    /// <summary>Takes one span's field value (in the field's unit) into a step.</summary>
    public void Observe(int step, double value)
    {
        switch (_function)
        {
            case MetricsFunction.Rate or MetricsFunction.CountOverTime or MetricsFunction.HistogramOverTime:
                _counts![step]++;
                break;
            case MetricsFunction.SumOverTime:
                _values![step] = double.IsNaN(_values[step]) ? value : _values[step] + value;
                break;
            case MetricsFunction.MinOverTime:
                if (double.IsNaN(_values![step]) || value < _values[step]) _values[step] = value;
                break;
            case MetricsFunction.MaxOverTime:
                if (double.IsNaN(_values![step]) || value > _values[step]) _values[step] = value;
                break;
            case MetricsFunction.AvgOverTime:
                _values![step] += value;
                _counts![step]++;
                break;
            case MetricsFunction.QuantileOverTime when _durations is not null:
                (_durations[step] ??= new DurationSketch()).Add((ulong)Math.Max(0, value));
                break;
            case MetricsFunction.QuantileOverTime:
                (_numbers![step] ??= new NumberSketch()).Add(value);
                break;
        }
    }

    /// <summary>Merges a step's durations kept at ingest (duration quantiles only).</summary>
    public void Merge(int step, DurationSketch durations) => (_durations![step] ??= new DurationSketch()).Merge(durations);

    /// <summary>
    /// The value of every step, NaN where the step has no sample. Counting functions answer 0 for
    /// an empty step, and quantiles 0, as Tempo does; sums, minima, maxima and averages have no
    /// sample there.
    /// </summary>
    public double[] Samples(StepGrid grid, double quantile = 0)
    {
        var samples = new double[grid.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = _function switch
            {
                MetricsFunction.Rate => _counts![i] / grid.StepSeconds,
                MetricsFunction.CountOverTime or MetricsFunction.HistogramOverTime => _counts![i],
                MetricsFunction.AvgOverTime => _counts![i] == 0 ? double.NaN : _values![i] / _counts[i] * _scale,
                MetricsFunction.QuantileOverTime when _durations is not null => (_durations[i]?.Quantile(quantile) ?? 0) * _scale,
                MetricsFunction.QuantileOverTime => _numbers![i]?.Quantile(quantile) ?? 0,
                _ => _values![i] * _scale,
            };
        }
        return samples;
    }

    /// <summary>The quantile over the whole range, for assigning exemplars to quantile series.</summary>
    public double OverallQuantile(double quantile)
    {
        if (_durations is not null)
        {
            var all = new DurationSketch();
            foreach (var sketch in _durations)
            {
                if (sketch is not null) all.Merge(sketch);
            }
            return all.Quantile(quantile) * _scale;
        }
        return double.NaN;
    }
}
