using System.Globalization;
using Threadline.Query.Parameters;
using Threadline.Storage.Aggregates;

namespace Threadline.Query.Analysis;

/// <summary>
/// The time range of an aggregate analysis, as requested (<see cref="StartUnixNano"/>,
/// <see cref="EndUnixNano"/>) and as the aggregates answer it: whole minutes, in steps of
/// <see cref="StepMinutes"/>.
/// </summary>
public sealed record AnalysisRange(ulong StartUnixNano, ulong EndUnixNano, int StepMinutes)
{
    /// <summary>The default range when no start is given: the hour before the end.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromHours(1);

    /// <summary>The most points a default step gives.</summary>
    public const int DefaultMaxPoints = 120;

    private const ulong NanosPerHour = 3_600_000_000_000;

    /// <summary>The store read covering this range; with <paramref name="withSteps"/>, one point per step.</summary>
    public AggregateQuery ToQuery(string? service, bool withSteps) => new()
    {
        StartTimeUnixNano = StartUnixNano,
        EndTimeUnixNano = EndUnixNano,
        ServiceName = service,
        StepMinutes = withSteps ? StepMinutes : 0,
    };

    /// <summary>Seconds of whole minutes the aggregates cover, what rates divide by (at least one minute).</summary>
    public double CoveredSeconds
    {
        get
        {
            var query = ToQuery(null, withSteps: false);
            return Math.Max(1, query.EndMinute - query.FirstMinute) * 60.0;
        }
    }

    /// <summary>
    /// Reads <c>start</c>, <c>end</c> and (when <paramref name="withStep"/>) <c>step</c>: times as
    /// Unix ns digits or RFC 3339; end defaults to now, start to an hour before end; step is whole
    /// minutes, at least one, and by default the smallest giving at most 120 points.
    /// </summary>
    public static bool TryParse(IQueryParameters parameters, DateTimeOffset now, bool withStep, out AnalysisRange range, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        range = null!;
        if (!TryTime(parameters, "end", out var end, out error)) return false;
        if (!TryTime(parameters, "start", out var start, out error)) return false;
        var endNanos = end ?? (ulong)now.ToUnixTimeMilliseconds() * 1_000_000;
        var startNanos = start ?? (endNanos > NanosPerHour ? endNanos - NanosPerHour : 0);
        if (endNanos <= startNanos)
        {
            error = ParameterError.Create(start is null ? "end" : "start",
                string.Create(CultureInfo.InvariantCulture, $"gives a range from {startNanos} to {endNanos} ns; start must be before end"));
            return false;
        }
        var minutes = CeilingMinutes(endNanos) - (long)(startNanos / MinuteClock.NanosPerMinute);
        var step = (int)Math.Clamp((minutes + DefaultMaxPoints - 1) / DefaultMaxPoints, 1, int.MaxValue);
        if (withStep && !TryStep(parameters, ref step, out error)) return false;
        range = new AnalysisRange(startNanos, endNanos, step);
        var query = range.ToQuery(null, withSteps: withStep);
        if (withStep && query.StepCount > AggregateQuery.MaxSteps)
        {
            error = ParameterError.Create("step", string.Create(CultureInfo.InvariantCulture,
                $"of {step} min gives {query.StepCount} points over this range; at most {AggregateQuery.MaxSteps}, use a longer step"));
            return false;
        }
        return true;
    }

    private static long CeilingMinutes(ulong unixNano) =>
        (long)(unixNano / MinuteClock.NanosPerMinute) + (unixNano % MinuteClock.NanosPerMinute == 0 ? 0 : 1);

    private static bool TryTime(IQueryParameters parameters, string name, out ulong? nanos, out ParameterError error)
    {
        nanos = null;
        if (!SingleValue.TryGet(parameters, name, out var text, out error)) return false;
        if (text is null) return true;
        if (!TimestampParser.TryParse(name, text, out var value, out error)) return false;
        nanos = value;
        return true;
    }

    private static bool TryStep(IQueryParameters parameters, ref int stepMinutes, out ParameterError error)
    {
        if (!SingleValue.TryGet(parameters, "step", out var text, out error)) return false;
        if (text is null) return true;
        if (!DurationParser.TryParse("step", text, out var nanos, out error)) return false;
        if (nanos < MinuteClock.NanosPerMinute || nanos % MinuteClock.NanosPerMinute != 0 || nanos / MinuteClock.NanosPerMinute > int.MaxValue)
        {
            error = ParameterError.Create("step",
                $"is '{ParameterError.Echo(text)}'; give a whole number of minutes, at least 1m (the aggregates' resolution), such as 60s, 5m or 1h");
            return false;
        }
        stepMinutes = (int)(nanos / MinuteClock.NanosPerMinute);
        return true;
    }
}
