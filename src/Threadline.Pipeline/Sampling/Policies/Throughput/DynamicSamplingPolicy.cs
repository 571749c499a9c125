using System.Text;
using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies.Throughput;

/// <summary>
/// <c>dynamic</c> (after Honeycomb Refinery's EMA throughput sampler): traces are grouped by a key
/// built from <c>key_fields</c> of their root span (attributes, span then resource; <c>name</c> for
/// the span name, <c>status.code</c> for the status). Every <c>adjustment_interval</c> the traces
/// seen per key feed an exponential moving average (<c>weight</c> for the newest interval), and
/// the budget of <c>goal_throughput_per_sec</c> is shared by water-filling: keys rarer than an
/// equal share keep every trace (rate 1), the frequent ones split what is left equally and are
/// sampled down to it. Kept traces carry their key's rate as adjusted count; the keep itself is
/// by trace id, so it is consistent with the probabilistic policy.
/// </summary>
public sealed class DynamicSamplingPolicy : ISamplingPolicy
{
    private readonly IReadOnlyList<string> _keyFields;
    private readonly double _goalPerInterval;
    private readonly TimeSpan _interval;
    private readonly double _weight;
    private readonly int _maxKeys;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, long> _seen = [];
    private readonly Dictionary<string, double> _averages = [];
    private Dictionary<string, double> _rates = [];
    private long _intervalStarted;

    public DynamicSamplingPolicy(string name, IReadOnlyList<string> keyFields, double goalThroughputPerSecond, TimeSpan adjustmentInterval, double weight, int maxKeys, TimeProvider time)
    {
        Name = name;
        _keyFields = keyFields;
        _goalPerInterval = goalThroughputPerSecond * adjustmentInterval.TotalSeconds;
        _interval = adjustmentInterval;
        _weight = weight;
        _maxKeys = maxKeys;
        _time = time;
        _intervalStarted = time.GetTimestamp();
    }

    public string Name { get; }

    /// <summary>The rate each key is sampled at now (1 keeps every trace); keys not listed keep every trace.</summary>
    public IReadOnlyDictionary<string, double> Rates => _rates;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        AdjustWhenDue();
        var key = KeyOf(trace);
        if (_seen.TryGetValue(key, out var count) || _seen.Count < _maxKeys) _seen[key] = count + 1;
        var rate = _rates.TryGetValue(key, out var r) ? r : 1;
        if (rate <= 1) return new PolicyVerdict(PolicyDecision.Sampled, 1);
        return new TraceIdRatio(1 / rate).Keeps(trace.TraceId) ? new PolicyVerdict(PolicyDecision.Sampled, rate) : PolicyVerdict.NotSampled;
    }

    private void AdjustWhenDue()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_intervalStarted, now) < _interval) return;
        _intervalStarted = now;

        foreach (var key in _averages.Keys.Union(_seen.Keys).ToList())
        {
            var average = _weight * _seen.GetValueOrDefault(key) + (1 - _weight) * _averages.GetValueOrDefault(key);
            // A key gone quiet fades out instead of holding a slot for ever.
            if (average < 0.5 && !_seen.ContainsKey(key)) _averages.Remove(key);
            else _averages[key] = average;
        }
        _seen.Clear();
        _rates = WaterFill(_averages, _goalPerInterval);
    }

    // Keys in ascending order of traffic take what they need while it is below an equal share
    // of what is left; from the first key above that share on, each gets the share.
    private static Dictionary<string, double> WaterFill(Dictionary<string, double> averages, double budget)
    {
        var rates = new Dictionary<string, double>(averages.Count);
        var left = averages.Count;
        foreach (var (key, average) in averages.OrderBy(p => p.Value))
        {
            var share = budget / left;
            if (average <= share)
            {
                rates[key] = 1;
                budget -= average;
            }
            else
            {
                rates[key] = share > 0 ? average / share : double.PositiveInfinity;
                budget -= share;
            }
            left--;
        }
        return rates;
    }

    private string KeyOf(SampledTrace trace)
    {
        var span = trace.Root ?? trace.Spans[0];
        var key = new StringBuilder();
        foreach (var field in _keyFields)
        {
            if (key.Length > 0) key.Append('\u001f');
            key.Append(field switch
            {
                "name" => span.Name,
                "status.code" => span.Status.Code.ToString(),
                _ => span.TryGetAttribute(field, out var value) ? value.ToString() : "",
            });
        }
        return key.ToString();
    }
}
