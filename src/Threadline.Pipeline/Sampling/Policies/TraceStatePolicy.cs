namespace Threadline.Pipeline.Sampling.Policies;

/// <summary><c>trace_state</c>: keeps traces with a span whose W3C tracestate has <c>key</c> set to one of <c>values</c>.</summary>
public sealed class TraceStatePolicy(string name, string key, IReadOnlySet<string> values) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        foreach (var span in trace.Spans)
        {
            if (span.TraceState.Length != 0 && Matches(span.TraceState)) return PolicyVerdict.Sampled;
        }
        return PolicyVerdict.NotSampled;
    }

    // tracestate is "key=value,key=value" with optional spaces around members.
    private bool Matches(string traceState)
    {
        foreach (var member in traceState.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = member.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            if (member.AsSpan(0, equals).SequenceEqual(key) && values.Contains(member[(equals + 1)..])) return true;
        }
        return false;
    }
}
