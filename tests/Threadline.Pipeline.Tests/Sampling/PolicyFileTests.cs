using Threadline.Pipeline.Sampling.Config;
using Threadline.Pipeline.Sampling.Policies;
using Threadline.Pipeline.Sampling.Policies.Combining;
using Threadline.Pipeline.Sampling.Policies.Conditions;

namespace Threadline.Pipeline.Tests.Sampling;

public sealed class PolicyFileTests
{
    private static readonly PolicyContext Context = new()
    {
        CompileTraceQL = query => query.StartsWith('{') ? _ => true : throw new FormatException($"line 1, column 1: expected '{{', found '{query[0]}'"),
    };

    private static PolicyFile Parse(string text) => PolicyFile.Parse(text, "test.yaml", Context);

    private static void HasProblem(PolicyFileException error, string position, string text) =>
        Assert.True(error.Problems.Any(p => p.StartsWith(position, StringComparison.Ordinal) && p.Contains(text, StringComparison.Ordinal)),
            $"No problem at '{position}' containing '{text}' in:{Environment.NewLine}{error.Message}");

    private static PolicyFileException Invalid(string text) => Assert.Throws<PolicyFileException>(() => Parse(text));

    [Fact]
    public void The_collector_readme_example_parses_unchanged()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Sampling", "collector-readme-example.yaml");

        var file = PolicyFile.Load(path, Context);

        Assert.Equal(
            ["test-policy-1", "test-policy-2", "test-policy-3", "test-policy-4", "test-policy-5", "test-policy-6", "test-policy-7", "test-policy-8",
             "test-policy-9", "test-policy-10", "test-policy-11", "test-policy-12", "test-policy-13", "and-policy-1", "drop-policy-1", "composite-policy-1"],
            file.Policies.Select(p => p.Name));
        Assert.Equal(TimeSpan.FromSeconds(10), file.Settings.DecisionWait);
        Assert.Equal(100, file.Settings.MaxTraces);
        Assert.Equal((100_000, 100_000), (file.Settings.SampledCacheSize, file.Settings.NotSampledCacheSize));
        Assert.IsType<OttlConditionPolicy>(file.Policies[12]);
        Assert.Equal(2, Assert.IsType<AndPolicy>(file.Policies[13]).SubPolicies.Count);
        Assert.Equal([500.0, 250.0, 250.0], Assert.IsType<CompositePolicy>(file.Policies[15]).Allocations);
    }

    [Fact]
    public void Threadline_settings_sit_beside_the_collector_keys_with_defaults_when_absent()
    {
        var file = Parse("""
            tail_sampling:
              decision_wait: 20s
              settle_delay: 1500ms
              max_held_bytes: 64MiB
              decision_cache_size: 5000
              max_spans_per_trace: 500
              policies:
                - name: errors
                  type: status_code
                  status_code: {status_codes: [ERROR]}
            """);

        Assert.Equal(TimeSpan.FromSeconds(20), file.Settings.DecisionWait);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), file.Settings.SettleDelay);
        Assert.Equal(64L << 20, file.Settings.MaxHeldBytes);
        Assert.Equal((5000, 5000), (file.Settings.SampledCacheSize, file.Settings.NotSampledCacheSize));
        Assert.Equal(500, file.Settings.MaxSpansPerTrace);
        Assert.Null(file.Settings.MaxTraces);

        var defaults = Parse("policies: [{name: all, type: always_sample}]").Settings;
        Assert.Equal(new TailSamplingSettings(), defaults);
        Assert.Equal(512L << 20, defaults.MaxHeldBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), defaults.SettleDelay);
    }

    [Fact]
    public void A_json_file_is_read_the_same_way()
    {
        var file = Parse("""
            {
              "decision_wait": "5s",
              "policies": [
                { "name": "slow", "type": "latency", "latency": { "threshold_ms": 500 } },
                { "name": "db errors", "type": "traceql", "traceql": { "query": "{ status = error }" } },
                { "name": "by route", "type": "dynamic", "dynamic": { "key_fields": ["http.route"], "goal_throughput_per_sec": 50 } }
              ]
            }
            """);

        Assert.Equal(["slow", "db errors", "by route"], file.Policies.Select(p => p.Name));
        Assert.IsType<TraceConditionPolicy>(file.Policies[1]);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_line_and_column()
    {
        var error = Invalid("""
            decision_wait: soon
            policies:
              - name: a
                type: probabilistic
                probabilistic: {sampling_percentage: 150}
              - name: b
                type: latency
                latency: {threshold: 5}
              - name: c
                type: nonsense
              - name: a
                type: always_sample
            """);

        HasProblem(error, "line 1, column 16:", "decision_wait must be a duration");
        HasProblem(error, "line 5, column 42:", "sampling_percentage must be between 0 and 100");
        HasProblem(error, "line 8, column 15:", "'threshold' is not a setting here");
        HasProblem(error, "line 8, column 14:", "needs 'threshold_ms'");
        HasProblem(error, "line 10, column 11:", "type 'nonsense' is not a policy type");
        HasProblem(error, "line 11, column 5:", "two policies are named 'a'");
        Assert.Contains("test.yaml", error.Message);
    }

    [Fact]
    public void Broken_yaml_names_the_line_and_column()
    {
        var error = Invalid("policies:\n  - name: a\n    type: [always_sample\n");

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("line 4, column 1: not valid YAML or JSON", problem);
    }

    [Fact]
    public void Sub_policy_problems_are_found_inside_and_drop_and_composite()
    {
        var error = Invalid("""
            policies:
              - name: comp
                type: composite
                composite:
                  max_total_spans_per_second: 100
                  policy_order: [one, missing]
                  composite_sub_policy:
                    - name: one
                      type: string_attribute
                      string_attribute: {key: k, values: ["("], enabled_regex_matching: true}
                  rate_allocation: [{policy: ghost, percent: 10}]
              - name: ottl
                type: ottl_condition
                ottl_condition: {span: ["IsRootSpan()"]}
              - name: tql
                type: traceql
                traceql: {query: "status = error"}
            """);

        HasProblem(error, "line 10, column 46:", "'(' is not a regular expression");
        HasProblem(error, "line 6, column 21:", "policy_order names 'missing'");
        Assert.DoesNotContain(error.Problems, p => p.Contains("names 'one'", StringComparison.Ordinal));
        HasProblem(error, "line 11, column 25:", "rate_allocation names 'ghost'");
        HasProblem(error, "line 14, column 29:", "OTTL condition at character 1");
        HasProblem(error, "line 17, column 22:", "expected '{'");
    }

    [Fact]
    public void A_file_without_policies_is_refused()
    {
        var error = Invalid("decision_wait: 10s");

        HasProblem(error, "", "needs 'policies'");
    }

    [Fact]
    public void A_settle_delay_longer_than_the_decision_wait_is_refused()
    {
        var error = Invalid("decision_wait: 1s\nsettle_delay: 5s\npolicies: [{name: all, type: always_sample}]");

        HasProblem(error, "line 2, column 15:", "longer than decision_wait");
    }
}
