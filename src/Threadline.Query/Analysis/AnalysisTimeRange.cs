using Threadline.Query.Parameters;

namespace Threadline.Query.Analysis;

/// <summary>
/// The <c>start</c> and <c>end</c> of an analysis request (Unix ns digits or RFC 3339, as
/// <c>/api/v1/search</c>): end defaults to now, start to one hour before end; the range must be
/// non-empty and at most <see cref="MaxRange"/> long, so that one request reads a bounded window.
/// </summary>
public static class AnalysisTimeRange
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(7);

    public static bool TryParse(IQueryParameters parameters, ulong nowUnixNano, out ulong startUnixNano, out ulong endUnixNano, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        startUnixNano = endUnixNano = 0;
        if (!SingleValue.TryGet(parameters, "start", out var startText, out error)
            || !SingleValue.TryGet(parameters, "end", out var endText, out error))
            return false;

        endUnixNano = nowUnixNano;
        if (endText is not null && !TimestampParser.TryParse("end", endText, out endUnixNano, out error)) return false;
        var defaultRange = (ulong)DefaultRange.Ticks * 100;
        startUnixNano = endUnixNano > defaultRange ? endUnixNano - defaultRange : 0;
        if (startText is not null && !TimestampParser.TryParse("start", startText, out startUnixNano, out error)) return false;

        if (startUnixNano >= endUnixNano)
        {
            // Name the parameter the client gave: a defaulted start is at or after end only when end is 0.
            error = startText is null
                ? ParameterError.Create("end", "is the Unix epoch, where no range can end; give a later end")
                : ParameterError.Create("start", "is not before end; give a start earlier than the end (end defaults to now)");
            return false;
        }
        if (endUnixNano - startUnixNano > (ulong)MaxRange.Ticks * 100)
        {
            error = ParameterError.Create("start", $"is more than {MaxRange.TotalDays:0} days before end; analyse at most {MaxRange.TotalDays:0} days at once");
            return false;
        }
        return true;
    }

    /// <summary>Refuses any parameter not in <paramref name="known"/> (usually a typo) and any given twice, naming it.</summary>
    public static bool TryCheckNames(IQueryParameters parameters, IReadOnlyCollection<string> known, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        error = default;
        foreach (var name in parameters.Names)
        {
            if (!known.Contains(name))
            {
                var echoed = ParameterError.Echo(name);
                error = new ParameterError(echoed, $"Unknown parameter '{echoed}'; known parameters are {string.Join(", ", known)}.");
                return false;
            }
            if (!SingleValue.TryGet(parameters, name, out _, out error)) return false;
        }
        return true;
    }
}
