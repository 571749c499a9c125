using System.Diagnostics;
using Threadline.Sdk.Configuration;
using Threadline.Sdk.Propagation;
using Threadline.Sdk.Sampling;

namespace Threadline.Sdk.Tests.Setup;

public sealed class EnvironmentVariableTests
{
    private static TracingOptions Apply(params (string Name, string Value)[] variables)
    {
        var options = new TracingOptions();
        new EnvironmentConfiguration(TestTracing.Environment(variables.ToDictionary(v => v.Name, v => v.Value))).Apply(options);
        return options;
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" True ", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData("yes", false)]
    [InlineData("1", false)]
    public void OTEL_SDK_DISABLED_is_true_only_for_true(string value, bool disabled)
    {
        var environment = TestTracing.Environment(new Dictionary<string, string> { ["OTEL_SDK_DISABLED"] = value });
        Assert.Equal(disabled, new EnvironmentConfiguration(environment).IsSdkDisabled());
    }

    [Fact]
    public void OTEL_SDK_DISABLED_wins_over_code_and_nothing_is_traced()
    {
        var source = TestTracing.UniqueSource();
        var exported = new List<Activity>();
        using var session = ThreadlineTracing.Start(
            o =>
            {
                o.AddSource(source.Name);
                o.InstallPropagator = false;
                o.UseInMemoryExporter(exported);
            },
            TestTracing.Environment(new Dictionary<string, string> { ["OTEL_SDK_DISABLED"] = "true" }));

        Assert.False(session.IsEnabled);
        Assert.False(source.HasListeners());
        using (source.StartSpan("ignored"))
        {
        }
        Assert.Empty(exported);
    }

    [Fact]
    public void OTEL_SERVICE_NAME_sets_service_name_and_wins_over_resource_attributes()
    {
        var options = Apply(("OTEL_SERVICE_NAME", "checkout"), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=other,team=payments"));
        Assert.Equal("checkout", options.ServiceName);
        Assert.Equal("payments", options.ResourceAttributes["team"]);
    }

    [Fact]
    public void OTEL_RESOURCE_ATTRIBUTES_service_name_applies_without_OTEL_SERVICE_NAME()
    {
        var options = Apply(("OTEL_RESOURCE_ATTRIBUTES", "service.name=billing"));
        Assert.Equal("billing", options.ServiceName);
    }

    [Fact]
    public void OTEL_RESOURCE_ATTRIBUTES_are_trimmed_and_percent_decoded()
    {
        var options = Apply(("OTEL_RESOURCE_ATTRIBUTES", " team = payments , note=a%2Cb%3Dc%20d , city=K%C3%B8benhavn"));
        Assert.Equal("payments", options.ResourceAttributes["team"]);
        Assert.Equal("a,b=c d", options.ResourceAttributes["note"]);
        Assert.Equal("København", options.ResourceAttributes["city"]);
    }

    [Theory]
    [InlineData("team=payments,broken")]
    [InlineData("team=payments,=value")]
    [InlineData("team=%ZZ")]
    [InlineData("team=%C3")]
    public void A_malformed_OTEL_RESOURCE_ATTRIBUTES_is_discarded_whole(string value)
    {
        var options = Apply(("OTEL_RESOURCE_ATTRIBUTES", value));
        Assert.Empty(options.ResourceAttributes);
    }

    [Theory]
    [InlineData("always_on", "AlwaysOnSampler")]
    [InlineData("always_off", "AlwaysOffSampler")]
    [InlineData("ALWAYS_ON", "AlwaysOnSampler")]
    public void OTEL_TRACES_SAMPLER_selects_the_fixed_samplers(string name, string description)
    {
        Assert.Equal(description, Apply(("OTEL_TRACES_SAMPLER", name)).Sampler.Description);
    }

    [Fact]
    public void OTEL_TRACES_SAMPLER_traceidratio_reads_the_ratio_from_OTEL_TRACES_SAMPLER_ARG()
    {
        var sampler = Apply(("OTEL_TRACES_SAMPLER", "traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "0.25")).Sampler;
        Assert.Equal(0.25, Assert.IsType<TraceIdRatioBasedSampler>(sampler).Ratio);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public void OTEL_TRACES_SAMPLER_ARG_missing_or_invalid_means_ratio_one(string? argument)
    {
        var variables = new List<(string, string)> { ("OTEL_TRACES_SAMPLER", "traceidratio") };
        if (argument is not null) variables.Add(("OTEL_TRACES_SAMPLER_ARG", argument));
        var sampler = Apply([.. variables]).Sampler;
        Assert.Equal(1.0, Assert.IsType<TraceIdRatioBasedSampler>(sampler).Ratio);
    }

    [Fact]
    public void OTEL_TRACES_SAMPLER_parent_based_variants_wrap_their_root()
    {
        Assert.IsType<AlwaysOnSampler>(Assert.IsType<ParentBasedSampler>(Apply(("OTEL_TRACES_SAMPLER", "parentbased_always_on")).Sampler).Root);
        Assert.IsType<AlwaysOffSampler>(Assert.IsType<ParentBasedSampler>(Apply(("OTEL_TRACES_SAMPLER", "parentbased_always_off")).Sampler).Root);
        var ratio = Assert.IsType<ParentBasedSampler>(Apply(("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "0.1")).Sampler).Root;
        Assert.Equal(0.1, Assert.IsType<TraceIdRatioBasedSampler>(ratio).Ratio);
    }

    [Fact]
    public void An_unknown_OTEL_TRACES_SAMPLER_keeps_the_default()
    {
        var sampler = Apply(("OTEL_TRACES_SAMPLER", "jaeger_remote")).Sampler;
        Assert.IsType<AlwaysOnSampler>(Assert.IsType<ParentBasedSampler>(sampler).Root);
    }

    [Fact]
    public void OTEL_PROPAGATORS_is_passed_to_the_propagation_setup()
    {
        var options = Apply(("OTEL_PROPAGATORS", "b3multi"));
        var propagator = options.Propagator;
        Assert.DoesNotContain("traceparent", propagator.Fields);
        Assert.Contains(propagator.Fields, f => f.Equals("x-b3-traceid", StringComparison.OrdinalIgnoreCase));
        Assert.IsType<NoOpPropagator>(Apply(("OTEL_PROPAGATORS", "none")).Propagator);
    }

    [Fact]
    public void OTEL_PROPAGATORS_unset_means_tracecontext_and_baggage()
    {
        var propagator = Apply().Propagator;
        Assert.Contains("traceparent", propagator.Fields);
        Assert.Contains("baggage", propagator.Fields);
    }

    [Theory]
    [InlineData("otlp", new[] { "otlp" })]
    [InlineData("console", new[] { "console" })]
    [InlineData(" otlp , console ", new[] { "otlp", "console" })]
    [InlineData("otlp,otlp", new[] { "otlp" })]
    [InlineData("none", new[] { "none" })]
    [InlineData("none,otlp", new[] { "none" })]
    [InlineData("zipkin,console", new[] { "console" })]
    public void OTEL_TRACES_EXPORTER_lists_exporters(string value, string[] expected)
    {
        Assert.Equal(expected, Apply(("OTEL_TRACES_EXPORTER", value)).EnvironmentExporters);
    }

    [Fact]
    public void OTEL_BSP_variables_set_the_batch_options()
    {
        var batch = Apply(
            ("OTEL_BSP_SCHEDULE_DELAY", "250"),
            ("OTEL_BSP_EXPORT_TIMEOUT", "1500"),
            ("OTEL_BSP_MAX_QUEUE_SIZE", "100"),
            ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10")).Batch;
        Assert.Equal(TimeSpan.FromMilliseconds(250), batch.ScheduledDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), batch.ExportTimeout);
        Assert.Equal(100, batch.MaxQueueSize);
        Assert.Equal(10, batch.MaxExportBatchSize);
    }

    [Theory]
    [InlineData("OTEL_BSP_SCHEDULE_DELAY", "-1")]
    [InlineData("OTEL_BSP_EXPORT_TIMEOUT", "0")]
    [InlineData("OTEL_BSP_MAX_QUEUE_SIZE", "0")]
    [InlineData("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "many")]
    [InlineData("OTEL_BSP_MAX_QUEUE_SIZE", "99999999999")]
    public void Invalid_OTEL_BSP_values_keep_the_defaults(string name, string value)
    {
        var batch = Apply((name, value)).Batch;
        Assert.Equal(TimeSpan.FromSeconds(5), batch.ScheduledDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), batch.ExportTimeout);
        Assert.Equal(2048, batch.MaxQueueSize);
        Assert.Equal(512, batch.MaxExportBatchSize);
    }

    [Fact]
    public void General_attribute_limits_apply_to_spans_events_and_links()
    {
        var limits = Apply(("OTEL_ATTRIBUTE_COUNT_LIMIT", "7"), ("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "12")).SpanLimits;
        Assert.Equal(7, limits.AttributeCountLimit);
        Assert.Equal(7, limits.AttributePerEventCountLimit);
        Assert.Equal(7, limits.AttributePerLinkCountLimit);
        Assert.Equal(12, limits.AttributeValueLengthLimit);
    }

    [Fact]
    public void Span_specific_limits_win_over_general_ones()
    {
        var limits = Apply(
            ("OTEL_ATTRIBUTE_COUNT_LIMIT", "7"),
            ("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "9"),
            ("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "12"),
            ("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "20"),
            ("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "3"),
            ("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "4")).SpanLimits;
        Assert.Equal(9, limits.AttributeCountLimit);
        Assert.Equal(20, limits.AttributeValueLengthLimit);
        Assert.Equal(3, limits.AttributePerEventCountLimit);
        Assert.Equal(4, limits.AttributePerLinkCountLimit);
    }

    [Fact]
    public void Event_and_link_count_limits_come_from_their_variables()
    {
        var limits = Apply(("OTEL_SPAN_EVENT_COUNT_LIMIT", "5"), ("OTEL_SPAN_LINK_COUNT_LIMIT", "6")).SpanLimits;
        Assert.Equal(5, limits.EventCountLimit);
        Assert.Equal(6, limits.LinkCountLimit);
        Assert.Equal(128, limits.AttributeCountLimit);
        Assert.Null(limits.AttributeValueLengthLimit);
    }

    [Theory]
    [InlineData("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT")]
    [InlineData("OTEL_ATTRIBUTE_COUNT_LIMIT")]
    [InlineData("OTEL_SPAN_EVENT_COUNT_LIMIT")]
    [InlineData("OTEL_SPAN_LINK_COUNT_LIMIT")]
    [InlineData("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT")]
    [InlineData("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT")]
    [InlineData("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT")]
    [InlineData("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT")]
    public void Invalid_limits_keep_the_defaults(string name)
    {
        foreach (var value in new[] { "-3", "lots", "1.5" })
        {
            var limits = Apply((name, value)).SpanLimits;
            Assert.Equal(128, limits.AttributeCountLimit);
            Assert.Equal(128, limits.EventCountLimit);
            Assert.Equal(128, limits.LinkCountLimit);
            Assert.Equal(128, limits.AttributePerEventCountLimit);
            Assert.Equal(128, limits.AttributePerLinkCountLimit);
            Assert.Null(limits.AttributeValueLengthLimit);
        }
    }

    [Fact]
    public void Code_overrides_environment_variables()
    {
        using var tracing = TestTracing.Start(
            o =>
            {
                o.ServiceName = "from-code";
                o.Sampler = new AlwaysOnSampler();
                o.SpanLimits.EventCountLimit = 3;
            },
            new Dictionary<string, string>
            {
                ["OTEL_SERVICE_NAME"] = "from-env",
                ["OTEL_TRACES_SAMPLER"] = "always_off",
                ["OTEL_SPAN_EVENT_COUNT_LIMIT"] = "9",
                ["OTEL_SPAN_LINK_COUNT_LIMIT"] = "4",
            });

        Assert.Equal("from-code", tracing.Session.Resource.ServiceName);
        Assert.IsType<AlwaysOnSampler>(tracing.Session.Sampler);
        Assert.Equal(3, tracing.Session.SpanLimits.EventCountLimit);
        // What code did not set still comes from the environment.
        Assert.Equal(4, tracing.Session.SpanLimits.LinkCountLimit);
    }

    [Fact]
    public void Environment_values_apply_to_a_started_session()
    {
        using var tracing = TestTracing.Start(
            environment: new Dictionary<string, string>
            {
                ["OTEL_SERVICE_NAME"] = "env-service",
                ["OTEL_TRACES_SAMPLER"] = "always_off",
            });

        using (var span = tracing.Source.StartSpan("dropped"))
        {
            Assert.NotNull(span);
            Assert.False(span.Recorded);
        }
        Assert.Equal("env-service", tracing.Session.Resource.ServiceName);
        Assert.Empty(tracing.Spans);
    }
}
