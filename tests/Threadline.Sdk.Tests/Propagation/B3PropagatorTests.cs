using System.Diagnostics;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

public sealed class B3PropagatorTests
{
    private const string TraceId = "80f198ee56343ba864fe8b2a57d3eff7";
    private const string TraceId64 = "64fe8b2a57d3eff7";
    private const string SpanId = "e457b5a2e4d86bd1";
    private const string ParentSpanId = "05e3ac9a4f6e3b90";

    private static readonly B3Propagator Single = new();
    private static readonly B3Propagator Multiple = new(B3Encoding.MultipleHeaders);

    private static PropagationContext Extract(params (string Name, string Value)[] headers) =>
        HeaderCarrier.Of(headers).ExtractWith(Single);

    private static PropagationContext ExtractSingle(string b3) => Extract(("b3", b3));

    private static void AssertSpan(PropagationContext context, string traceId, string spanId, ActivityTraceFlags flags)
    {
        Assert.Equal(traceId, context.ActivityContext.TraceId.ToHexString());
        Assert.Equal(spanId, context.ActivityContext.SpanId.ToHexString());
        Assert.Equal(flags, context.ActivityContext.TraceFlags);
        Assert.True(context.ActivityContext.IsRemote);
    }

    // --- single header ---

    [Fact]
    public void B3_single_header_is_extracted() =>
        AssertSpan(ExtractSingle($"{TraceId}-{SpanId}-1"), TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Fact]
    public void B3_single_header_with_deny_is_not_sampled() =>
        AssertSpan(ExtractSingle($"{TraceId}-{SpanId}-0"), TraceId, SpanId, ActivityTraceFlags.None);

    [Fact]
    public void B3_single_header_without_sampling_state_defers_as_not_sampled() =>
        AssertSpan(ExtractSingle($"{TraceId}-{SpanId}"), TraceId, SpanId, ActivityTraceFlags.None);

    [Fact]
    public void B3_single_header_parent_span_id_is_accepted_and_not_used_as_parent() =>
        AssertSpan(ExtractSingle($"{TraceId}-{SpanId}-1-{ParentSpanId}"), TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Fact]
    public void B3_single_header_debug_implies_sampled()
    {
        var context = ExtractSingle($"{TraceId}-{SpanId}-d");

        AssertSpan(context, TraceId, SpanId, ActivityTraceFlags.Recorded);
        Assert.True(context.IsDebug);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("d")]
    public void B3_sampling_only_single_header_yields_no_span_context(string b3) =>
        Assert.False(ExtractSingle(b3).HasTraceContext);

    [Fact]
    public void B3_single_header_surrounded_by_whitespace_is_accepted() =>
        AssertSpan(ExtractSingle($" \t{TraceId}-{SpanId}-1 "), TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Theory]
    [InlineData("x")]
    [InlineData("11")]
    [InlineData("true")]
    [InlineData("D")]
    [InlineData("")]
    public void B3_single_header_with_an_unknown_sampling_state_is_rejected(string sampling) =>
        Assert.False(ExtractSingle($"{TraceId}-{SpanId}-{sampling}").HasTraceContext);

    [Theory]
    [InlineData("05e3ac9a4f6e3b9")]
    [InlineData("05E3AC9A4F6E3B90")]
    [InlineData("05e3ac9a4f6e3b90-extra")]
    public void B3_single_header_with_a_malformed_parent_span_id_is_rejected(string parent) =>
        Assert.False(ExtractSingle($"{TraceId}-{SpanId}-1-{parent}").HasTraceContext);

    // --- multiple headers ---

    [Fact]
    public void B3_multi_headers_are_extracted() =>
        AssertSpan(
            Extract(("X-B3-TraceId", TraceId), ("X-B3-SpanId", SpanId), ("X-B3-ParentSpanId", ParentSpanId), ("X-B3-Sampled", "1")),
            TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Fact]
    public void B3_multi_header_names_are_matched_case_insensitively_by_http_carriers() =>
        AssertSpan(Extract(("x-b3-traceid", TraceId), ("x-b3-spanid", SpanId), ("x-b3-sampled", "1")), TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Fact]
    public void B3_multi_headers_without_sampled_defer_as_not_sampled() =>
        AssertSpan(Extract(("X-B3-TraceId", TraceId), ("X-B3-SpanId", SpanId)), TraceId, SpanId, ActivityTraceFlags.None);

    [Fact]
    public void B3_multi_sampled_0_is_not_sampled() =>
        AssertSpan(Extract(("X-B3-TraceId", TraceId), ("X-B3-SpanId", SpanId), ("X-B3-Sampled", "0")), TraceId, SpanId, ActivityTraceFlags.None);

    [Theory]
    [InlineData("true", ActivityTraceFlags.Recorded)]
    [InlineData("false", ActivityTraceFlags.None)]
    public void B3_multi_sampled_true_and_false_are_accepted_leniently(string sampled, ActivityTraceFlags expected) =>
        AssertSpan(Extract(("X-B3-TraceId", TraceId), ("X-B3-SpanId", SpanId), ("X-B3-Sampled", sampled)), TraceId, SpanId, expected);

    [Fact]
    public void B3_multi_debug_flag_implies_sampled()
    {
        var context = Extract(("X-B3-TraceId", TraceId), ("X-B3-SpanId", SpanId), ("X-B3-Flags", "1"), ("X-B3-Sampled", "0"));

        AssertSpan(context, TraceId, SpanId, ActivityTraceFlags.Recorded);
        Assert.True(context.IsDebug);
    }

    [Fact]
    public void B3_multi_headers_use_the_first_value_of_a_repeated_header() =>
        AssertSpan(
            Extract(("X-B3-TraceId", TraceId), ("X-B3-TraceId", "1111111111111111"), ("X-B3-SpanId", SpanId), ("X-B3-SpanId", ParentSpanId), ("X-B3-Sampled", "1")),
            TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Fact]
    public void B3_multi_headers_need_both_ids()
    {
        Assert.False(Extract(("X-B3-TraceId", TraceId), ("X-B3-Sampled", "1")).HasTraceContext);
        Assert.False(Extract(("X-B3-SpanId", SpanId), ("X-B3-Sampled", "1")).HasTraceContext);
    }

    // --- precedence and ids ---

    [Fact]
    public void B3_single_header_wins_over_multi() =>
        AssertSpan(
            Extract(("b3", $"{TraceId}-{SpanId}-1"), ("X-B3-TraceId", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), ("X-B3-SpanId", "bbbbbbbbbbbbbbbb"), ("X-B3-Sampled", "0")),
            TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Theory]
    [InlineData("garbage")]
    [InlineData("0")]
    public void B3_multi_headers_are_used_when_the_single_header_has_no_ids(string b3) =>
        AssertSpan(Extract(("b3", b3), ("X-B3-TraceId", TraceId), ("X-B3-SpanId", SpanId), ("X-B3-Sampled", "1")), TraceId, SpanId, ActivityTraceFlags.Recorded);

    [Fact]
    public void B3_64bit_trace_id_is_left_padded()
    {
        AssertSpan(ExtractSingle($"{TraceId64}-{SpanId}-1"), "0000000000000000" + TraceId64, SpanId, ActivityTraceFlags.Recorded);
        AssertSpan(Extract(("X-B3-TraceId", TraceId64), ("X-B3-SpanId", SpanId), ("X-B3-Sampled", "1")), "0000000000000000" + TraceId64, SpanId, ActivityTraceFlags.Recorded);
    }

    [Theory]
    [InlineData("64fe8b2a57d3eff")]
    [InlineData("64fe8b2a57d3eff70")]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff")]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff70")]
    public void B3_trace_id_of_any_other_length_is_rejected(string traceId)
    {
        Assert.False(ExtractSingle($"{traceId}-{SpanId}-1").HasTraceContext);
        Assert.False(Extract(("X-B3-TraceId", traceId), ("X-B3-SpanId", SpanId)).HasTraceContext);
    }

    [Theory]
    [InlineData("80F198EE56343BA864FE8B2A57D3EFF7", SpanId)]
    [InlineData(TraceId, "E457B5A2E4D86BD1")]
    public void B3_uppercase_hex_is_rejected(string traceId, string spanId)
    {
        Assert.False(ExtractSingle($"{traceId}-{spanId}-1").HasTraceContext);
        Assert.False(Extract(("X-B3-TraceId", traceId), ("X-B3-SpanId", spanId)).HasTraceContext);
    }

    [Theory]
    [InlineData("00000000000000000000000000000000", SpanId)]
    [InlineData("0000000000000000", SpanId)]
    [InlineData(TraceId, "0000000000000000")]
    public void B3_all_zero_ids_are_rejected(string traceId, string spanId)
    {
        Assert.False(ExtractSingle($"{traceId}-{spanId}-1").HasTraceContext);
        Assert.False(Extract(("X-B3-TraceId", traceId), ("X-B3-SpanId", spanId)).HasTraceContext);
    }

    [Theory]
    [InlineData("e457b5a2e4d86bd")]
    [InlineData("e457b5a2e4d86bd10")]
    public void B3_span_id_must_be_16_characters(string spanId) =>
        Assert.False(ExtractSingle($"{TraceId}-{spanId}-1").HasTraceContext);

    // --- injection ---

    private static PropagationContext Context(ActivityTraceFlags flags = ActivityTraceFlags.Recorded, bool debug = false) =>
        new(new ActivityContext(ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(SpanId), flags)) { IsDebug = debug };

    [Fact]
    public void B3_injects_the_single_header_by_default()
    {
        var carrier = HeaderCarrier.InjectWith(new B3Propagator(), Context());

        Assert.Equal($"{TraceId}-{SpanId}-1", carrier.Single("b3"));
        Assert.Equal(1, carrier.Count);
    }

    [Fact]
    public void B3_single_header_inject_writes_0_when_not_sampled() =>
        Assert.Equal($"{TraceId}-{SpanId}-0", HeaderCarrier.InjectWith(Single, Context(ActivityTraceFlags.None)).Single("b3"));

    [Fact]
    public void B3_single_header_inject_writes_d_for_debug() =>
        Assert.Equal($"{TraceId}-{SpanId}-d", HeaderCarrier.InjectWith(Single, Context(debug: true)).Single("b3"));

    [Fact]
    public void B3_injects_multiple_headers_when_configured()
    {
        var carrier = HeaderCarrier.InjectWith(Multiple, Context());

        Assert.Equal(TraceId, carrier.Single("X-B3-TraceId"));
        Assert.Equal(SpanId, carrier.Single("X-B3-SpanId"));
        Assert.Equal("1", carrier.Single("X-B3-Sampled"));
        Assert.Null(carrier.Single("b3"));
    }

    [Fact]
    public void B3_multi_inject_sends_debug_as_flags_without_sampled()
    {
        var carrier = HeaderCarrier.InjectWith(Multiple, Context(debug: true));

        Assert.Equal("1", carrier.Single("X-B3-Flags"));
        Assert.Null(carrier.Single("X-B3-Sampled"));
    }

    [Fact]
    public void B3_inject_never_sends_a_parent_span_id()
    {
        Assert.DoesNotContain(HeaderCarrier.InjectWith(Multiple, Context()).Fields, f => f.Key == "X-B3-ParentSpanId");
        Assert.Equal(2, HeaderCarrier.InjectWith(Single, Context()).Single("b3")!.Count(c => c == '-'));
    }

    [Fact]
    public void B3_inject_writes_a_64bit_trace_id_as_32_characters()
    {
        var context = ExtractSingle($"{TraceId64}-{SpanId}-1");

        Assert.Equal($"0000000000000000{TraceId64}-{SpanId}-1", HeaderCarrier.InjectWith(Single, context).Single("b3"));
    }

    [Fact]
    public void B3_fields_follow_the_inject_encoding()
    {
        Assert.Equal(["b3"], Single.Fields);
        Assert.Equal(["X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled", "X-B3-Flags"], Multiple.Fields);
    }

    [Fact]
    public void B3_propagator_rejects_an_undefined_encoding() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new B3Propagator((B3Encoding)7));

    [Fact]
    public void B3_keeps_the_tracestate_of_the_same_trace_extracted_before_it()
    {
        var composite = new CompositePropagator(new TraceContextPropagator(), Single);

        var context = HeaderCarrier.Of(
            ("traceparent", $"00-{TraceId}-{ParentSpanId}-01"),
            ("tracestate", "rojo=1"),
            ("b3", $"{TraceId}-{SpanId}-1")).ExtractWith(composite);

        AssertSpan(context, TraceId, SpanId, ActivityTraceFlags.Recorded);
        Assert.Equal("rojo=1", context.ActivityContext.TraceState);
    }

    [Fact]
    public void B3_drops_the_tracestate_of_another_trace_extracted_before_it()
    {
        var composite = new CompositePropagator(new TraceContextPropagator(), Single);

        var context = HeaderCarrier.Of(
            ("traceparent", $"00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-{ParentSpanId}-01"),
            ("tracestate", "rojo=1"),
            ("b3", $"{TraceId}-{SpanId}-1")).ExtractWith(composite);

        Assert.Null(context.ActivityContext.TraceState);
    }
}
