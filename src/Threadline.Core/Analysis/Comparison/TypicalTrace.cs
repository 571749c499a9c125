namespace Threadline.Core.Analysis;

/// <summary>
/// The typical shape of a root operation, built from sample traces: per operation path, the
/// median span count and the median total duration over the samples (a sample without the path
/// counts 0), keeping the paths whose median count is at least 1. Compare a trace against it
/// with <see cref="TraceComparison.Compare(TraceTree, TypicalTrace)"/>.
/// </summary>
public sealed class TypicalTrace
{
    private TypicalTrace(TraceOverview overview, OperationProfile profile)
    {
        Overview = overview;
        Profile = profile;
    }

    /// <summary>Root service and name of the first sample; median duration and span count; no trace id; the sample count.</summary>
    public TraceOverview Overview { get; }

    internal OperationProfile Profile { get; }

    /// <summary>Builds the typical trace; the samples should share a root service and name.</summary>
    public static TypicalTrace Build(IReadOnlyList<TraceTree> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var paths = new OperationPaths();
        var profiles = samples.Select(s => OperationProfile.Of(s, paths)).ToArray();
        var nodes = paths.Count;
        var counts = new long[nodes];
        var durations = new ulong[nodes];
        var countColumn = new long[profiles.Length];
        var durationColumn = new ulong[profiles.Length];
        for (var node = 0; node < nodes; node++)
        {
            for (var s = 0; s < profiles.Length; s++)
            {
                // Each profile's arrays cover the paths known when it was made; later paths are absent from it.
                countColumn[s] = node < profiles[s].Counts.Length ? profiles[s].Counts[node] : 0;
                durationColumn[s] = node < profiles[s].Durations.Length ? profiles[s].Durations[node] : 0;
            }
            counts[node] = Median(countColumn);
            durations[node] = counts[node] == 0 ? 0 : Median(durationColumn);
        }

        var overviews = samples.Select(TraceOverview.Of).ToArray();
        var overview = overviews.Length == 0
            ? new TraceOverview(null, string.Empty, string.Empty, 0, 0, 0)
            : new TraceOverview(null, overviews[0].RootService, overviews[0].RootName,
                Median(overviews.Select(o => o.DurationNanos).ToArray()), Median(overviews.Select(o => o.SpanCount).ToArray()), overviews.Length);
        return new TypicalTrace(overview, OperationProfile.Create(paths, counts, durations));
    }

    /// <summary>The middle value; for an even count the mean of the two middle ones, rounded half up.</summary>
    private static long Median(long[] values)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : sorted[mid - 1] + ((sorted[mid] - sorted[mid - 1] + 1) / 2);
    }

    private static ulong Median(ulong[] values)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : sorted[mid - 1] + ((sorted[mid] - sorted[mid - 1] + 1) / 2);
    }
}
