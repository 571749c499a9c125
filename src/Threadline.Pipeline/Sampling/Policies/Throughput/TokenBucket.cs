namespace Threadline.Pipeline.Sampling.Policies.Throughput;

/// <summary>
/// Tokens refilled continuously at a rate up to a capacity; a take succeeds only when the whole
/// amount is there. Time comes from a <see cref="TimeProvider"/> so that tests move it by hand.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _perSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(double perSecond, double capacity, TimeProvider time)
    {
        _perSecond = perSecond;
        _capacity = capacity;
        _time = time;
        _tokens = capacity;
        _refilledAt = time.GetTimestamp();
    }

    public bool TryTake(double amount)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond);
        _refilledAt = now;
        if (amount > _tokens) return false;
        _tokens -= amount;
        return true;
    }
}
