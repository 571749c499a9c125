using System.Diagnostics;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

public sealed class TraceContextPropagatorTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";
    private const string Valid = "00-" + TraceId + "-" + SpanId + "-01";

    private static readonly TraceContextPropagator Propagator = new();

    private static PropagationContext Extract(params (string Name, string Value)[] headers) =>
        HeaderCarrier.Of(headers).ExtractWith(Propagator);

    private static PropagationContext ExtractTraceParent(string traceParent) =>
        Extract(("traceparent", traceParent), ("tracestate", "congo=t61rcWkgMzE"));

    // --- traceparent, version 00 ---

    [Fact]
    public void Traceparent_version_00_is_parsed()
    {
        var context = ExtractTraceParent(Valid).ActivityContext;

        Assert.Equal(TraceId, context.TraceId.ToHexString());
        Assert.Equal(SpanId, context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void Traceparent_with_flags_00_is_not_sampled()
    {
        var context = ExtractTraceParent("00-" + TraceId + "-" + SpanId + "-00").ActivityContext;

        Assert.Equal(SpanId, context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.None, context.TraceFlags);
    }

    [Theory]
    [InlineData("03", ActivityTraceFlags.Recorded)]
    [InlineData("09", ActivityTraceFlags.Recorded)]
    [InlineData("ff", ActivityTraceFlags.Recorded)]
    [InlineData("fe", ActivityTraceFlags.None)]
    [InlineData("80", ActivityTraceFlags.None)]
    public void Traceparent_flags_keep_only_the_sampled_bit(string flags, ActivityTraceFlags expected)
    {
        var context = ExtractTraceParent("00-" + TraceId + "-" + SpanId + "-" + flags).ActivityContext;

        Assert.Equal(SpanId, context.SpanId.ToHexString());
        Assert.Equal(expected, context.TraceFlags);
    }

    [Theory]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A")]
    [InlineData("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    public void Traceparent_with_uppercase_hex_is_rejected(string traceParent) =>
        AssertRejected(traceParent);

    [Fact]
    public void Traceparent_with_all_zero_trace_id_is_rejected() =>
        AssertRejected("00-00000000000000000000000000000000-" + SpanId + "-01");

    [Fact]
    public void Traceparent_with_all_zero_span_id_is_rejected() =>
        AssertRejected("00-" + TraceId + "-0000000000000000-01");

    [Fact]
    public void Traceparent_version_ff_is_rejected() =>
        AssertRejected("ff-" + TraceId + "-" + SpanId + "-01");

    [Theory]
    [InlineData(Valid + ".")]
    [InlineData(Valid + "-")]
    [InlineData(Valid + "-what-the-future-will-be-like")]
    public void Traceparent_version_00_with_trailing_data_is_rejected(string traceParent) =>
        AssertRejected(traceParent);

    [Theory]
    [InlineData("0-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("000-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("00-" + "4bf92f3577b34da6a3ce929d0e0e473" + "-" + SpanId + "-01")]
    [InlineData("00-" + "4bf92f3577b34da6a3ce929d0e0e47361" + "-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-" + "00f067aa0ba902b" + "-01")]
    [InlineData("00-" + TraceId + "-" + "00f067aa0ba902b71" + "-01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-1")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-001")]
    [InlineData("")]
    public void Traceparent_with_wrong_field_lengths_is_rejected(string traceParent) =>
        AssertRejected(traceParent);

    [Theory]
    [InlineData("00_" + TraceId + "-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "_" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "_01")]
    [InlineData("00 " + TraceId + " " + SpanId + " 01")]
    [InlineData(".0-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("00-.bf92f3577b34da6a3ce929d0e0e4736-" + SpanId + "-01")]
    [InlineData("00-" + TraceId + "-.0f067aa0ba902b7-01")]
    [InlineData("00-" + TraceId + "-" + SpanId + "-.1")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473g-" + SpanId + "-01")]
    public void Traceparent_with_wrong_delimiters_or_characters_is_rejected(string traceParent) =>
        AssertRejected(traceParent);

    [Theory]
    [InlineData(" " + Valid)]
    [InlineData("\t" + Valid)]
    [InlineData(Valid + " ")]
    [InlineData(Valid + "\t")]
    [InlineData("\t " + Valid + " \t")]
    public void Traceparent_surrounded_by_optional_whitespace_is_accepted(string traceParent) =>
        Assert.Equal(SpanId, ExtractTraceParent(traceParent).ActivityContext.SpanId.ToHexString());

    [Theory]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("01-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("fe-" + TraceId + "-" + SpanId + "-01")]
    [InlineData("cc-" + TraceId + "-" + SpanId + "-01-what-the-future-will-be-like")]
    public void Traceparent_future_version_is_parsed_leniently(string traceParent)
    {
        var context = ExtractTraceParent(traceParent);

        Assert.Equal(TraceId, context.ActivityContext.TraceId.ToHexString());
        Assert.Equal(SpanId, context.ActivityContext.SpanId.ToHexString());
        Assert.Equal("congo=t61rcWkgMzE", context.ActivityContext.TraceState);
    }

    [Fact]
    public void Traceparent_future_version_with_unknown_flags_keeps_only_sampled() =>
        Assert.Equal(ActivityTraceFlags.None, ExtractTraceParent("cc-" + TraceId + "-" + SpanId + "-fe-x").ActivityContext.TraceFlags);

    [Fact]
    public void Traceparent_future_version_followed_by_a_non_dash_is_rejected() =>
        AssertRejected("cc-" + TraceId + "-" + SpanId + "-01.what-the-future-will-be-like");

    [Fact]
    public void Traceparent_future_version_shorter_than_55_characters_is_rejected() =>
        AssertRejected("cc-" + TraceId + "-" + SpanId + "-1");

    [Fact]
    public void Duplicated_traceparent_headers_are_rejected() =>
        AssertRejected(Extract(("traceparent", Valid), ("traceparent", "00-" + TraceId + "-b7ad6b7169203331-01")));

    [Fact]
    public void Traceparent_values_joined_by_a_proxy_are_rejected() =>
        AssertRejected(Valid + "," + Valid);

    [Fact]
    public void Invalid_traceparent_leaves_the_incoming_context_unchanged()
    {
        var earlier = new PropagationContext(new ActivityContext(
            ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "rojo=1", isRemote: true));

        var after = HeaderCarrier.Of(("traceparent", "ff-" + TraceId + "-" + SpanId + "-01"), ("tracestate", "congo=2")).ExtractWith(Propagator, earlier);

        Assert.Equal(earlier, after);
    }

    [Fact]
    public void Tracestate_is_ignored_when_traceparent_is_invalid()
    {
        var context = ExtractTraceParent("00-" + TraceId.ToUpperInvariant() + "-" + SpanId + "-01");

        Assert.False(context.HasTraceContext);
        Assert.Null(context.ActivityContext.TraceState);
    }

    [Fact]
    public void Tracestate_without_traceparent_is_ignored() =>
        Assert.Equal(default, Extract(("tracestate", "foo=1,bar=2")));

    // --- tracestate ---

    private static string? TraceState(params string[] values)
    {
        var carrier = HeaderCarrier.Of(("traceparent", Valid));
        foreach (var value in values) carrier.Add("tracestate", value);
        var context = carrier.ExtractWith(Propagator).ActivityContext;
        Assert.Equal(SpanId, context.SpanId.ToHexString());
        return context.TraceState;
    }

    private static string Members(int from, int to) =>
        string.Join(',', Enumerable.Range(from, to - from + 1).Select(i => $"bar{i:00}={i:00}"));

    [Fact]
    public void Tracestate_members_are_kept_in_order() =>
        Assert.Equal("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", TraceState("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));

    [Fact]
    public void Tracestate_already_in_normal_form_is_passed_on_without_copying()
    {
        var header = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

        Assert.Same(header, TraceState(header));
    }

    [Fact]
    public void Tracestate_multiple_headers_are_combined_in_order() =>
        Assert.Equal("foo=1,bar=2,rojo=1,congo=2,baz=3", TraceState("foo=1,bar=2", "rojo=1,congo=2", "baz=3"));

    [Fact]
    public void Tracestate_with_32_members_is_kept() =>
        Assert.Equal(Members(1, 32), TraceState(Members(1, 10), Members(11, 20), Members(21, 30), Members(31, 32)));

    [Fact]
    public void Tracestate_with_33_members_is_discarded() =>
        Assert.Null(TraceState(Members(1, 10), Members(11, 20), Members(21, 30), Members(31, 33)));

    [Fact]
    public void Tracestate_with_33_members_is_discarded_even_when_a_key_repeats() =>
        Assert.Null(TraceState(Members(1, 32), "bar01=01"));

    [Theory]
    [InlineData("foo=1,foo=1", "foo=1")]
    [InlineData("foo=1,foo=2", "foo=1")]
    [InlineData("foo=1,bar=2,foo=3", "foo=1,bar=2")]
    [InlineData("bar=2,foo=1,foo=3,baz=4,foo=5", "bar=2,foo=1,baz=4")]
    public void Tracestate_repeated_key_keeps_only_its_first_member(string header, string expected) =>
        Assert.Equal(expected, TraceState(header));

    [Fact]
    public void Tracestate_repeated_key_across_headers_keeps_only_its_first_member() =>
        Assert.Equal("foo=1", TraceState("foo=1", "foo=2"));

    [Theory]
    [InlineData("foo=1 \t , \t bar=2, \t baz=3")]
    [InlineData("foo=1\t \t,\t \tbar=2,\t \tbaz=3")]
    [InlineData(" foo=1,bar=2,baz=3 ")]
    [InlineData("\tfoo=1,bar=2,baz=3\t")]
    public void Tracestate_optional_whitespace_around_members_is_removed(string header) =>
        Assert.Equal("foo=1,bar=2,baz=3", TraceState(header));

    [Theory]
    [InlineData("foo=1,,bar=2")]
    [InlineData(",foo=1,bar=2,")]
    [InlineData("foo=1, ,\t,bar=2")]
    public void Tracestate_empty_members_are_allowed_and_dropped(string header) =>
        Assert.Equal("foo=1,bar=2", TraceState(header));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(",")]
    [InlineData(" , \t ")]
    public void Tracestate_without_members_gives_no_tracestate(string header) =>
        Assert.Null(TraceState(header));

    [Fact]
    public void Tracestate_empty_header_does_not_hide_other_headers() =>
        Assert.Equal("foo=1", TraceState("", "foo=1"));

    [Theory]
    [InlineData("a")]
    [InlineData("foo")]
    [InlineData("foo123")]
    [InlineData("f_-*/0")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789_-*/")]
    [InlineData("1abc")]
    [InlineData("0")]
    public void Tracestate_key_starting_with_a_lowercase_letter_or_digit_is_accepted(string key) =>
        Assert.Equal(key + "=1", TraceState(key + "=1"));

    [Fact]
    public void Tracestate_simple_key_of_256_characters_is_accepted() =>
        Assert.NotNull(TraceState("foo=1", new string('z', 256) + "=1"));

    [Fact]
    public void Tracestate_simple_key_of_257_characters_is_discarded() =>
        Assert.Null(TraceState("foo=1", new string('z', 257) + "=1"));

    [Theory]
    [InlineData("FOO")]
    [InlineData("Foo")]
    [InlineData("foo.bar")]
    [InlineData("foo ")]
    [InlineData("_foo")]
    [InlineData("*foo")]
    [InlineData("@foo")]
    [InlineData("f\u00f6o")]
    public void Tracestate_with_an_invalid_key_is_discarded_as_a_whole(string key) =>
        Assert.Null(TraceState("bar=2," + key + "=1"));

    [Theory]
    [InlineData("fw529a3039@dt")]
    [InlineData("1a2b@dt")]
    [InlineData("9@a")]
    [InlineData("a-b_c*d/1@x-y_z*0/2")]
    [InlineData("foo@")]
    [InlineData("foo@@bar")]
    [InlineData("foo@bar@baz")]
    [InlineData("foo@1bar")]
    [InlineData("foo@_bar")]
    public void Tracestate_key_with_at_signs_after_the_first_character_is_accepted(string key) =>
        Assert.Equal(key + "=1,bar=2", TraceState(key + "=1,bar=2"));

    // Level 1's tenant@system limits (241 and 14 characters) are gone: only the 256 in total remains.
    [Theory]
    [InlineData(241, 14)]
    [InlineData(242, 1)]
    [InlineData(1, 15)]
    [InlineData(1, 254)]
    public void Tracestate_key_with_an_at_sign_is_accepted_up_to_256_characters(int before, int after)
    {
        var key = new string('t', before) + "@" + new string('v', after);

        Assert.Equal("foo=1," + key + "=1", TraceState("foo=1", key + "=1"));
    }

    [Fact]
    public void Tracestate_key_with_an_at_sign_of_257_characters_is_discarded() =>
        Assert.Null(TraceState("foo=1", new string('t', 200) + "@" + new string('v', 56) + "=1"));

    [Theory]
    [InlineData("_foo@bar")]
    [InlineData("Foo@bar")]
    [InlineData("foo@Bar")]
    [InlineData("foo@b.r")]
    public void Tracestate_with_an_invalid_key_with_an_at_sign_is_discarded_as_a_whole(string key) =>
        Assert.Null(TraceState(key + "=1,bar=2"));

    [Fact]
    public void Tracestate_value_may_hold_every_allowed_character()
    {
        var value = string.Concat(Enumerable.Range(0x20, 0x7e - 0x20 + 1).Select(c => (char)c).Where(c => c is not (',' or '=')));

        Assert.Equal("foo=" + value, TraceState("foo=" + value));
    }

    [Fact]
    public void Tracestate_value_leading_spaces_are_part_of_the_value() =>
        Assert.Equal("foo=  1", TraceState("foo=  1"));

    [Fact]
    public void Tracestate_value_trailing_spaces_are_optional_whitespace() =>
        Assert.Equal("foo=1,bar=2", TraceState("foo=1  ,bar=2 "));

    [Fact]
    public void Tracestate_value_of_256_characters_is_accepted() =>
        Assert.NotNull(TraceState("foo=" + new string('v', 256)));

    [Theory]
    [InlineData("foo=")]
    [InlineData("foo=   ")]
    [InlineData("foo=bar=baz")]
    [InlineData("foo=a\tb")]
    [InlineData("foo=caf\u00e9")]
    [InlineData("foo=a\u007fb")]
    [InlineData("foo")]
    [InlineData("=1")]
    public void Tracestate_with_an_invalid_value_or_member_is_discarded_as_a_whole(string member) =>
        Assert.Null(TraceState("bar=3," + member));

    [Fact]
    public void Tracestate_value_of_257_characters_is_discarded() =>
        Assert.Null(TraceState("foo=" + new string('v', 257)));

    // --- injection ---

    private static HeaderCarrier Inject(ActivityContext context) =>
        HeaderCarrier.InjectWith(Propagator, new PropagationContext(context));

    private static ActivityContext Span(ActivityTraceFlags flags = ActivityTraceFlags.Recorded, string? traceState = null) =>
        new(ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(SpanId), flags, traceState);

    [Fact]
    public void Inject_writes_lowercase_version_00() =>
        Assert.Equal(Valid, Inject(Span()).Single("traceparent"));

    [Fact]
    public void Inject_of_an_unsampled_span_writes_flags_00() =>
        Assert.Equal("00-" + TraceId + "-" + SpanId + "-00", Inject(Span(ActivityTraceFlags.None)).Single("traceparent"));

    [Fact]
    public void Inject_sets_flags_other_than_sampled_to_zero() =>
        Assert.Equal(Valid, Inject(Span((ActivityTraceFlags)0xff)).Single("traceparent"));

    [Fact]
    public void Inject_writes_nothing_without_a_span_context() =>
        Assert.Equal(0, Inject(default).Count);

    [Fact]
    public void Inject_writes_no_tracestate_when_there_is_none() =>
        Assert.Null(Inject(Span()).Single("tracestate"));

    [Fact]
    public void Inject_writes_tracestate_in_normal_form() =>
        Assert.Equal("rojo=1,congo=2", Inject(Span(traceState: " rojo=1 ,, congo=2")).Single("tracestate"));

    [Fact]
    public void Inject_writes_a_repeated_key_once() =>
        Assert.Equal("rojo=1,congo=2", Inject(Span(traceState: "rojo=1,congo=2,rojo=3")).Single("tracestate"));

    [Theory]
    [InlineData("Rojo=1")]
    [InlineData("rojo")]
    public void Inject_omits_an_invalid_tracestate(string traceState) =>
        Assert.Null(Inject(Span(traceState: traceState)).Single("tracestate"));

    [Fact]
    public void Inject_keeps_a_tracestate_of_512_characters()
    {
        // Three members of 127 characters, one of 128 and three commas.
        var traceState = string.Join(',', [.. Enumerable.Range(0, 3).Select(i => $"k{i}=" + new string('v', 124)), "k3=" + new string('v', 125)]);

        Assert.Equal(512, traceState.Length);
        Assert.Equal(traceState, Inject(Span(traceState: traceState)).Single("tracestate"));
    }

    [Fact]
    public void Inject_shortens_tracestate_over_512_characters_by_removing_long_members_first()
    {
        var big = "big=" + new string('b', 200);
        var small = Enumerable.Range(0, 10).Select(i => $"s{i}=" + new string('s', 30)).ToList();
        var traceState = string.Join(',', [small[0], big, .. small[1..]]);
        Assert.True(traceState.Length > 512);

        Assert.Equal(string.Join(',', small), Inject(Span(traceState: traceState)).Single("tracestate"));
    }

    [Fact]
    public void Inject_shortens_tracestate_over_512_characters_from_the_end_when_no_member_is_long()
    {
        var members = Enumerable.Range(0, 20).Select(i => $"m{i:00}=" + new string('x', 40)).ToList();
        var expected = string.Join(',', members.Take(11));

        var injected = Inject(Span(traceState: string.Join(',', members))).Single("tracestate");

        Assert.Equal(expected, injected);
        Assert.True(injected!.Length <= 512);
    }

    private static void AssertRejected(string traceParent) => AssertRejected(ExtractTraceParent(traceParent));

    private static void AssertRejected(PropagationContext context)
    {
        Assert.False(context.HasTraceContext);
        Assert.Equal(default, context.ActivityContext);
    }
}
