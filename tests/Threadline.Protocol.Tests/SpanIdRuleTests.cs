using Threadline.Protocol.Decoding;

namespace Threadline.Protocol.Tests;

/// <summary>The id checks all three decoders share through <see cref="SpanAssembly"/>: one rule, three spellings.</summary>
public sealed class SpanIdRuleTests
{
    private static readonly IdRule ExactBytes = new("trace_id", "bytes", 16, "16", Required: true);
    private static readonly IdRule OptionalPadded = new("parentId", "characters", 16, "at most 16 hex digits", Required: false, ShorterAllowed: true);
    private static readonly IdRule RequiredPadded = new("id", "characters", 16, "at most 16 hex digits", Required: true, ShorterAllowed: true);

    [Fact]
    public void A_required_id_must_be_present_of_the_right_length_and_not_all_zero()
    {
        Assert.Equal("has no trace_id", ExactBytes.Problem(ReceivedId.FromBytes([])));
        Assert.Equal("has a trace_id of 8 bytes (expected 16)", ExactBytes.Problem(ReceivedId.FromBytes(new byte[8])));
        Assert.Equal("has an all-zero trace_id", ExactBytes.Problem(ReceivedId.FromBytes(new byte[16])));
        Assert.Null(ExactBytes.Problem(ReceivedId.FromBytes([.. new byte[15], 1])));
    }

    [Fact]
    public void An_optional_id_may_be_absent_or_all_zero_but_not_malformed()
    {
        Assert.Null(OptionalPadded.Problem(ReceivedId.FromPaddedHex("")));
        Assert.Null(OptionalPadded.Problem(ReceivedId.FromPaddedHex("0000000000000000")));
        Assert.Equal("has a parentId that is not hex", OptionalPadded.Problem(ReceivedId.FromPaddedHex("xyz")));
        Assert.Equal("has a parentId of 17 characters (expected at most 16 hex digits)", OptionalPadded.Problem(ReceivedId.FromPaddedHex("00000000000000001")));
    }

    [Fact]
    public void Padded_hex_reads_short_ids_as_if_left_padded_with_zeros()
    {
        Assert.Equal(new ReceivedId(3, true, 0, 0xabc), ReceivedId.FromPaddedHex("abc"));
        Assert.Equal(new ReceivedId(20, true, 0x1234, 0x0123456789abcdef), ReceivedId.FromPaddedHex("12340123456789ABCDEF"));
        Assert.Equal("has an id that is not hex", RequiredPadded.Problem(ReceivedId.FromPaddedHex("12g")));
    }

    [Fact]
    public void Exact_hex_is_parsed_only_at_the_length_of_a_trace_or_span_id()
    {
        Assert.Equal(new ReceivedId(32, true, 0x4bf92f3577b34da6, 0xa3ce929d0e0e4736), ReceivedId.FromHex("4bf92f3577b34da6A3CE929D0E0E4736"u8));
        Assert.Equal(new ReceivedId(16, true, 0, 0x00f067aa0ba902b7), ReceivedId.FromHex("00f067aa0ba902b7"u8));
        Assert.Equal(new ReceivedId(3, false, 0, 0), ReceivedId.FromHex("abc"u8));
    }
}
