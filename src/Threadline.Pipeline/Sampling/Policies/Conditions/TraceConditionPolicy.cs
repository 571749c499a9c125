using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies.Conditions;

/// <summary>
/// A yes/no question about a whole trace, compiled from a query language outside the pipeline
/// (the server compiles TraceQL with Threadline.Query and hands the result in).
/// </summary>
public delegate bool TraceCondition(IReadOnlyList<Span> spans);

/// <summary>
/// <c>traceql</c> (Threadline's own): keeps traces for which a TraceQL query finds at least one
/// spanset, e.g. <c>{ span.http.status_code >= 500 } &gt;&gt; { resource.service.name = "db" }</c>.
/// </summary>
public sealed class TraceConditionPolicy(string name, TraceCondition condition) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace) => condition(trace.Spans) ? PolicyVerdict.Sampled : PolicyVerdict.NotSampled;
}
