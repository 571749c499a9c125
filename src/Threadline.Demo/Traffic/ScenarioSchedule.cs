namespace Threadline.Demo.Traffic;

/// <summary>
/// Picks which requests take a rare path so that its share is exact yet its position random: each
/// run of 1/ratio requests holds exactly one, anywhere in the run. Plain coin flips at 3% would leave
/// a short run (a test's 20 requests, a minute of demo) without a single error about half the time.
/// </summary>
internal sealed class ScenarioSchedule(double ratio, Random random)
{
    private readonly int _runLength = ratio <= 0 ? 0 : Math.Max(1, (int)Math.Round(1 / ratio));
    private long _index;
    private long _chosen = -1;

    /// <summary>Whether the next request takes the path.</summary>
    public bool Next()
    {
        if (_runLength == 0) return false;
        var position = _index++ % _runLength;
        if (position == 0) _chosen = random.Next(_runLength);
        return position == _chosen;
    }
}
