namespace Threadline.Pipeline.Sampling.Policies.Combining;

/// <summary>
/// <c>composite</c>: sub-policies in <c>policy_order</c>, each with a share of
/// <c>max_total_spans_per_second</c>. A trace is kept by the first sub-policy that keeps it and
/// still has room for its spans in the current second; the total never passes the maximum.
/// A sub-policy with a <c>rate_allocation</c> gets that percent of the maximum; those without
/// one share, in order, what the allocated ones leave (so an <c>always_sample</c> last fills the
/// remaining capacity, as the Collector's documentation suggests).
/// </summary>
public sealed class CompositePolicy : ISamplingPolicy
{
    private readonly IReadOnlyList<ISamplingPolicy> _ordered;
    private readonly double[] _allocated;
    private readonly double[] _usedThisSecond;
    private readonly double _maxTotal;
    private readonly TimeProvider _time;
    private double _totalThisSecond;
    private long _second = long.MinValue;

    /// <param name="name">The policy's name.</param>
    /// <param name="ordered">The sub-policies in <c>policy_order</c>.</param>
    /// <param name="percents">Each ordered sub-policy's <c>rate_allocation</c> percent; null when it has none.</param>
    /// <param name="maxTotalSpansPerSecond">The most spans kept per second by all sub-policies together.</param>
    /// <param name="time">The clock seconds are counted by.</param>
    public CompositePolicy(string name, IReadOnlyList<ISamplingPolicy> ordered, IReadOnlyList<double?> percents, double maxTotalSpansPerSecond, TimeProvider time)
    {
        Name = name;
        _ordered = ordered;
        _maxTotal = maxTotalSpansPerSecond;
        _time = time;
        _allocated = new double[ordered.Count];
        var unallocated = percents.Count(p => p is null);
        var left = Math.Max(0, maxTotalSpansPerSecond * (1 - percents.Sum(p => p ?? 0) / 100));
        for (var i = 0; i < ordered.Count; i++)
            _allocated[i] = percents[i] is { } percent ? maxTotalSpansPerSecond * percent / 100 : left / unallocated;
        _usedThisSecond = new double[ordered.Count];
    }

    public string Name { get; }

    /// <summary>Spans per second each ordered sub-policy may keep.</summary>
    public IReadOnlyList<double> Allocations => _allocated;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        var second = (long)Math.Floor(_time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        if (second != _second)
        {
            _second = second;
            _totalThisSecond = 0;
            Array.Clear(_usedThisSecond);
        }
        var spans = trace.Spans.Count;
        for (var i = 0; i < _ordered.Count; i++)
        {
            var verdict = _ordered[i].Evaluate(trace);
            if (!verdict.Keeps) continue;
            if (_usedThisSecond[i] + spans > _allocated[i] || _totalThisSecond + spans > _maxTotal) continue;
            _usedThisSecond[i] += spans;
            _totalThisSecond += spans;
            return new PolicyVerdict(PolicyDecision.Sampled, verdict.AdjustedCount);
        }
        return PolicyVerdict.NotSampled;
    }
}
