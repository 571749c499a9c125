using System.Text.RegularExpressions;
using Threadline.Core.Model;
using Threadline.Pipeline.Sampling.Policies;
using Threadline.Pipeline.Sampling.Policies.Combining;
using Threadline.Pipeline.Sampling.Policies.Conditions;
using Threadline.Pipeline.Sampling.Policies.Throughput;
using YamlDotNet.RepresentationModel;

namespace Threadline.Pipeline.Sampling.Config;

/// <summary>
/// Builds policies from their YAML entries (<c>{name, type, &lt;type&gt;: {...}}</c>), with the
/// Collector's keys and meanings, reporting every problem with its line and column.
/// </summary>
internal sealed class PolicyFactory(PolicyContext context, List<string> problems)
{
    // and / drop / composite hold sub-policies; deeper nesting than this is surely a mistake.
    private const int MaxDepth = 4;

    /// <summary>Every type a policy may have.</summary>
    public static readonly string[] Types =
    [
        "always_sample", "latency", "numeric_attribute", "string_attribute", "boolean_attribute", "status_code",
        "probabilistic", "rate_limiting", "bytes_limiting", "span_count", "trace_state", "trace_flags",
        "ottl_condition", "and", "drop", "composite", "traceql", "dynamic",
    ];

    public ISamplingPolicy? Build(YamlNode node, string where, int depth = 0)
    {
        var entry = YamlFields.Of(node, where, problems);
        if (entry is null) return null;
        var name = entry.String("name", required: true);
        var type = entry.String("type", required: true);
        if (name is not null) where = $"policy '{name}'";
        if (type is null || name is null)
        {
            entry.Finish(["name", "type", .. Types]);
            return null;
        }
        if (!Types.Contains(type))
        {
            entry.Problem(entry.Find("type")!, $"type '{type}' is not a policy type; expected one of {string.Join(", ", Types)}.");
            return null;
        }
        if (depth > MaxDepth)
        {
            entry.Problem(node, $"sub-policies nest more than {MaxDepth} deep.");
            return null;
        }

        // The type's settings sit under a key named like the type; some types need none.
        var settingsNode = entry.Find(type);
        YamlFields? settings = null;
        if (settingsNode is not null) settings = YamlFields.Of(settingsNode, $"{where} ({type})", problems);
        else if (type is not ("always_sample" or "trace_flags")) entry.Problem(node, $"a '{type}' policy needs its settings under '{type}:'.");
        entry.Finish(["name", "type", type]);
        if (settings is null) return type == "always_sample" ? new AlwaysSamplePolicy(name) : type == "trace_flags" ? new TraceFlagsPolicy(name) : null;

        var before = problems.Count;
        var policy = BuildTyped(name, type, settings, where, depth);
        return problems.Count == before ? policy : null;
    }

    private ISamplingPolicy? BuildTyped(string name, string type, YamlFields s, string where, int depth)
    {
        switch (type)
        {
            case "always_sample":
                s.Finish([]);
                return new AlwaysSamplePolicy(name);
            case "trace_flags":
                s.Finish([]);
                return new TraceFlagsPolicy(name);
            case "latency":
            {
                var threshold = s.Integer("threshold_ms", required: true, min: 0);
                var upper = s.Integer("upper_threshold_ms", min: 0);
                s.Finish(["threshold_ms", "upper_threshold_ms"]);
                if (upper is { } u && u != 0 && threshold is { } t && u < t) s.Problem(s.Node, $"upper_threshold_ms ({u}) is below threshold_ms ({t}).");
                return new LatencyPolicy(name, TimeSpan.FromMilliseconds(threshold ?? 0), upper is > 0 ? TimeSpan.FromMilliseconds(upper.Value) : null);
            }
            case "numeric_attribute":
            {
                var key = s.String("key", required: true);
                var min = s.Integer("min_value");
                var max = s.Integer("max_value");
                var invert = s.Boolean("invert_match") ?? false;
                s.Finish(["key", "min_value", "max_value", "invert_match"]);
                if (min is null && max is null) s.Problem(s.Node, "give min_value, max_value or both.");
                if (min > max) s.Problem(s.Node, $"min_value ({min}) is above max_value ({max}).");
                return new NumericAttributePolicy(name, key ?? "", min, max, invert);
            }
            case "string_attribute":
            {
                var key = s.String("key", required: true);
                var values = s.Strings("values", required: true) ?? [];
                var regex = s.Boolean("enabled_regex_matching") ?? false;
                var cacheSize = s.Integer("cache_max_size", min: 1, max: 1_000_000) ?? 10;
                var invert = s.Boolean("invert_match") ?? false;
                s.Finish(["key", "values", "enabled_regex_matching", "cache_max_size", "invert_match"]);
                if (values.Count == 0 && s.Has("values")) s.Problem(s.Node, "values must list at least one value.");
                var problemsBefore = problems.Count;
                if (regex)
                {
                    foreach (var pattern in values)
                    {
                        try
                        {
                            _ = new Regex(pattern, RegexOptions.CultureInvariant);
                        }
                        catch (ArgumentException ex)
                        {
                            s.Problem(s.Find("values")!, $"'{pattern}' is not a regular expression: {ex.Message}");
                        }
                    }
                }
                return problems.Count > problemsBefore ? null : new StringAttributePolicy(name, key ?? "", values, regex, (int)cacheSize, invert);
            }
            case "boolean_attribute":
            {
                var key = s.String("key", required: true);
                var value = s.Boolean("value", required: true);
                var invert = s.Boolean("invert_match") ?? false;
                s.Finish(["key", "value", "invert_match"]);
                return new BooleanAttributePolicy(name, key ?? "", value ?? false, invert);
            }
            case "status_code":
            {
                var codes = new HashSet<StatusCode>();
                foreach (var code in s.Strings("status_codes", required: true) ?? [])
                {
                    if (code is "OK") codes.Add(StatusCode.Ok);
                    else if (code is "ERROR") codes.Add(StatusCode.Error);
                    else if (code is "UNSET") codes.Add(StatusCode.Unset);
                    else s.Problem(s.Find("status_codes")!, $"'{code}' is not a status code; expected OK, ERROR or UNSET.");
                }
                s.Finish(["status_codes"]);
                return new StatusCodePolicy(name, codes);
            }
            case "probabilistic":
            {
                var percentage = s.Number("sampling_percentage", required: true, min: 0, max: 100);
                var salt = s.String("hash_salt");
                s.Finish(["sampling_percentage", "hash_salt"]);
                return new ProbabilisticPolicy(name, percentage ?? 0, salt);
            }
            case "rate_limiting":
            {
                var perSecond = s.Number("spans_per_second", required: true, min: 1);
                s.Finish(["spans_per_second"]);
                return new RateLimitingPolicy(name, perSecond ?? 1, context.Time);
            }
            case "bytes_limiting":
            {
                var perSecond = s.Number("bytes_per_second", required: true, min: 1);
                var burst = s.Number("burst_capacity", min: 1);
                s.Finish(["bytes_per_second", "burst_capacity"]);
                return new BytesLimitingPolicy(name, perSecond ?? 1, burst ?? 2 * (perSecond ?? 1), context.Time);
            }
            case "span_count":
            {
                var min = s.Integer("min_spans", min: 0, max: int.MaxValue);
                var max = s.Integer("max_spans", min: 0, max: int.MaxValue);
                s.Finish(["min_spans", "max_spans"]);
                if (min is null && max is null) s.Problem(s.Node, "give min_spans, max_spans or both.");
                if (max is > 0 && min > max) s.Problem(s.Node, $"min_spans ({min}) is above max_spans ({max}).");
                return new SpanCountPolicy(name, (int)(min ?? 0), max is > 0 ? (int)max : null);
            }
            case "trace_state":
            {
                var key = s.String("key", required: true);
                var values = s.Strings("values", required: true) ?? [];
                s.Finish(["key", "values"]);
                return new TraceStatePolicy(name, key ?? "", new HashSet<string>(values, StringComparer.Ordinal));
            }
            case "ottl_condition":
            {
                var mode = s.String("error_mode");
                if (mode is not (null or "ignore" or "propagate" or "silent")) s.Problem(s.Find("error_mode")!, $"error_mode must be ignore, silent or propagate, got '{mode}'.");
                var spans = Conditions(s, "span");
                var events = Conditions(s, "spanevent");
                s.Finish(["error_mode", "span", "spanevent"]);
                if (!s.Has("span") && !s.Has("spanevent")) s.Problem(s.Node, "give at least one condition under span or spanevent.");
                return new OttlConditionPolicy(name, spans, events);
            }
            case "traceql":
            {
                var query = s.String("query", required: true);
                s.Finish(["query"]);
                if (query is null) return null;
                if (context.CompileTraceQL is null)
                {
                    s.Problem(s.Node, "TraceQL conditions are not available in this build.");
                    return null;
                }
                try
                {
                    return new TraceConditionPolicy(name, context.CompileTraceQL(query));
                }
                catch (FormatException ex)
                {
                    s.Problem(s.Find("query")!, ex.Message);
                    return null;
                }
            }
            case "dynamic":
            {
                var fields = s.Strings("key_fields", required: true) ?? [];
                var goal = s.Number("goal_throughput_per_sec", required: true, min: 0.001);
                var interval = s.Duration("adjustment_interval") ?? TimeSpan.FromSeconds(15);
                var weight = s.Number("weight", min: 0.0001, max: 1) ?? 0.5;
                var maxKeys = s.Integer("max_keys", min: 1, max: 1_000_000) ?? 500;
                s.Finish(["key_fields", "goal_throughput_per_sec", "adjustment_interval", "weight", "max_keys"]);
                if (fields.Count == 0 && s.Has("key_fields")) s.Problem(s.Node, "key_fields must list at least one field.");
                if (interval <= TimeSpan.Zero) s.Problem(s.Find("adjustment_interval")!, "adjustment_interval must be positive.");
                return new DynamicSamplingPolicy(name, fields, goal ?? 1, interval, weight, (int)maxKeys, context.Time);
            }
            case "and":
            {
                var subs = SubPolicies(s, "and_sub_policy", where, depth);
                s.Finish(["and_sub_policy"]);
                return new AndPolicy(name, subs);
            }
            case "drop":
            {
                var subs = SubPolicies(s, "drop_sub_policy", where, depth);
                s.Finish(["drop_sub_policy"]);
                return new DropPolicy(name, subs);
            }
            default:
                return Composite(name, s, where, depth);
        }
    }

    private CompositePolicy? Composite(string name, YamlFields s, string where, int depth)
    {
        var maxTotal = s.Number("max_total_spans_per_second", required: true, min: 1);
        var order = s.Strings("policy_order", required: true) ?? [];
        var subs = SubPolicies(s, "composite_sub_policy", where, depth, out var declared);
        var percents = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var allocation in s.Sequence("rate_allocation") ?? [])
        {
            var entry = YamlFields.Of(allocation, $"{where} rate_allocation", problems);
            if (entry is null) continue;
            var policy = entry.String("policy", required: true);
            var percent = entry.Number("percent", required: true, min: 0, max: 100);
            entry.Finish(["policy", "percent"]);
            if (policy is null || percent is null) continue;
            if (!declared.Contains(policy)) entry.Problem(allocation, $"rate_allocation names '{policy}', which is not a composite_sub_policy.");
            else if (!percents.TryAdd(policy, percent.Value)) entry.Problem(allocation, $"'{policy}' has two rate allocations.");
        }
        s.Finish(["max_total_spans_per_second", "policy_order", "composite_sub_policy", "rate_allocation"]);
        if (percents.Values.Sum() > 100) s.Problem(s.Find("rate_allocation")!, $"the rate allocations add up to {percents.Values.Sum()} %, over 100 %.");

        var ordered = new List<ISamplingPolicy>();
        foreach (var policyName in order)
        {
            var policy = subs.FirstOrDefault(p => p.Name == policyName);
            if (policy is not null) ordered.Add(policy);
            else if (!declared.Contains(policyName)) s.Problem(s.Find("policy_order")!, $"policy_order names '{policyName}', which is not a composite_sub_policy.");
        }
        foreach (var sub in subs.Where(p => !order.Contains(p.Name)))
            s.Problem(s.Find("policy_order") ?? s.Node, $"composite_sub_policy '{sub.Name}' is missing from policy_order.");
        return new CompositePolicy(name, ordered, [.. ordered.Select(p => percents.TryGetValue(p.Name, out var v) ? v : (double?)null)], maxTotal ?? 1, context.Time);
    }

    private List<ISamplingPolicy> SubPolicies(YamlFields s, string key, string where, int depth) => SubPolicies(s, key, where, depth, out _);

    // declared: every name given, including those of sub-policies that had problems (so a
    // reference to one is not reported a second time as unknown).
    private List<ISamplingPolicy> SubPolicies(YamlFields s, string key, string where, int depth, out HashSet<string> declared)
    {
        declared = new HashSet<string>(StringComparer.Ordinal);
        var nodes = s.Sequence(key, required: true) ?? [];
        if (nodes.Count == 0 && s.Has(key)) s.Problem(s.Find(key)!, $"{key} must list at least one policy.");
        var policies = new List<ISamplingPolicy>();
        foreach (var node in nodes)
        {
            if (NameOf(node) is { } name && !declared.Add(name)) s.Problem(node, $"two sub-policies are named '{name}'.");
            var policy = Build(node, $"{where} {key}", depth + 1);
            if (policy is not null) policies.Add(policy);
        }
        return policies;
    }

    /// <summary>The <c>name</c> of a policy entry, read without checking anything else.</summary>
    public static string? NameOf(YamlNode node) =>
        node is YamlMappingNode mapping
            ? mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode { Value: { } name } ? name : null
            : null;

    private List<OttlCondition> Conditions(YamlFields s, string key)
    {
        var conditions = new List<OttlCondition>();
        var node = s.Find(key);
        if (node is null) return conditions;
        if (node is not YamlSequenceNode sequence)
        {
            s.Problem(node, $"{key} must be a list of conditions.");
            return conditions;
        }
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { } text })
            {
                s.Problem(item, $"each {key} condition must be text.");
                continue;
            }
            try
            {
                conditions.Add(OttlCondition.Parse(text));
            }
            catch (FormatException ex)
            {
                s.Problem(item, ex.Message);
            }
        }
        return conditions;
    }
}
