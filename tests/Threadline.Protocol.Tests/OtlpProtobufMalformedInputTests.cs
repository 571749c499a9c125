using Google.Protobuf;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Tests.Support;
using static Threadline.Protocol.Tests.Support.Pb;

namespace Threadline.Protocol.Tests;

public sealed class OtlpProtobufMalformedInputTests
{
    private static DecodedSpans Decode(byte[] body) => OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default);

    private static readonly byte[] ValidSpan = Concat(LenField(1, Enumerable.Repeat((byte)1, 16).ToArray()), LenField(2, Enumerable.Repeat((byte)2, 8).ToArray()), StringField(5, "n"));

    private static byte[] InSpan(params byte[][] fields) => LenField(1, LenField(2, LenField(2, ValidSpan, Concat(fields))));

    [Fact]
    public void Truncation_at_any_byte_offset_throws_a_protocol_exception()
    {
        // One resource (the first three sample spans): the whole payload is a single top-level
        // field, so every proper prefix is incomplete.
        var oneResource = SampleSpans.EveryField().Take(3).ToArray();
        var body = OtlpProtobufEncoder.EncodeExportRequest(oneResource);

        for (var length = 1; length < body.Length; length++)
        {
            var prefix = body.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => Decode(prefix));
            Assert.True(error is ProtocolException, $"prefix of {length} bytes: {error?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Truncation_only_succeeds_at_boundaries_between_resource_spans()
    {
        var body = OtlpProtobufEncoder.EncodeExportRequest(SampleSpans.EveryField());
        var boundaries = new HashSet<int> { 0 };
        var request = Threadline.TestSupport.Otlp.ExportTraceServiceRequest.Parser.ParseFrom(body);
        var offset = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            offset += 1 + CodedOutputStream.ComputeLengthSize(resourceSpans.CalculateSize()) + resourceSpans.CalculateSize();
            boundaries.Add(offset);
        }

        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => Decode(prefix));
            if (boundaries.Contains(length)) Assert.True(error is null, $"prefix of {length} bytes: {error}");
            else Assert.True(error is ProtocolException, $"prefix of {length} bytes: {error?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Varint_longer_than_ten_bytes_is_rejected_with_its_offset()
    {
        var body = InSpan(Concat(Tag(10, 0), Enumerable.Repeat((byte)0xFF, 10).ToArray(), [0x01]));

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("varint", error.Message);
        Assert.Contains($"byte offset {body.Length - 11}", error.Message);
    }

    [Fact]
    public void Varint_that_runs_past_the_end_is_rejected()
    {
        var error = Assert.Throws<ProtocolException>(() => Decode([0x10, 0x80, 0x80]));

        Assert.Contains("varint runs past the end", error.Message);
        Assert.Contains("byte offset 1", error.Message);
    }

    [Fact]
    public void Varint_that_runs_into_the_next_message_is_rejected()
    {
        // The span's own length ends in the middle of the dropped_attributes_count varint.
        var span = Concat(ValidSpan, Tag(10, 0), [0x80]);
        var body = Concat(LenField(1, LenField(2, LenField(2, span))), [0x01]);

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("varint runs past the end of the enclosing message", error.Message);
    }

    [Fact]
    public void Length_past_the_end_of_the_enclosing_message_is_rejected()
    {
        var body = Concat(Tag(1, 2), Varint(1000), [1, 2, 3]);

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("length 1000 runs past the end", error.Message);
        Assert.Contains("byte offset 1", error.Message);
    }

    [Fact]
    public void Wrong_wire_type_for_a_known_field_is_rejected()
    {
        var body = InSpan(VarintField(5, 1));

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("field 5 of Span has wire type 0 (varint)", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, "field number 0")]
    [InlineData(new byte[] { 0x0E }, "wire type 6")]
    [InlineData(new byte[] { 0x0F }, "wire type 7")]
    [InlineData(new byte[] { 0x14 }, "end-group marker for field 2 without a matching start-group")]
    [InlineData(new byte[] { 0x0C }, "field 1 of ExportTraceServiceRequest has wire type 4 (end group)")]
    [InlineData(new byte[] { 0x13, 0x08, 0x01 }, "group for field 2 is not closed")]
    [InlineData(new byte[] { 0x13, 0x1C }, "end-group marker for field 3 closes the group opened by field 2")]
    [InlineData(new byte[] { 0x11, 0x01, 0x02 }, "64-bit value runs past the end")]
    [InlineData(new byte[] { 0x15, 0x01 }, "32-bit value runs past the end")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "field tag does not fit in 32 bits")]
    public void Malformed_field_tags_and_values_are_rejected(byte[] body, string expected)
    {
        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("Malformed OTLP protobuf at byte offset ", error.Message);
    }

    [Fact]
    public void Deeply_nested_groups_are_rejected_not_recursed()
    {
        var body = Concat(Enumerable.Repeat(Tag(2, 3), 100_000).SelectMany(t => t).ToArray());

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("groups nested deeper than", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_rejected_naming_the_field()
    {
        var body = InSpan(LenField(3, [0x61, 0xC3, 0x28]));

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("Span.trace_state is not valid UTF-8", error.Message);
        Assert.Contains($"byte offset {body.Length - 3}", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_long_attribute_value_is_rejected()
    {
        var value = Concat(System.Text.Encoding.UTF8.GetBytes(new string('a', 200)), [0xFF]);
        var body = InSpan(LenField(9, StringField(1, "k"), LenField(2, LenField(1, value))));

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("AnyValue.string_value is not valid UTF-8", error.Message);
    }

    [Fact]
    public void Depth_bomb_of_ten_thousand_nested_arrays_is_rejected()
    {
        // Built back to front so that building the bomb stays linear.
        var reversed = new List<byte>();
        void Prepend(byte[] bytes)
        {
            for (var i = bytes.Length - 1; i >= 0; i--) reversed.Add(bytes[i]);
        }
        for (var level = 0; level < 10_000; level++)
        {
            Prepend(Varint((ulong)reversed.Count));
            Prepend(Tag(1, 2)); // ArrayValue.values
            Prepend(Varint((ulong)reversed.Count));
            Prepend(Tag(5, 2)); // AnyValue.array_value
        }
        reversed.Reverse();
        var value = reversed.ToArray();
        var body = InSpan(LenField(9, StringField(1, "bomb"), LenField(2, value)));

        var error = Assert.Throws<ProtocolException>(() => Decode(body));

        Assert.Contains("nested deeper than 32", error.Message);
    }

    [Fact]
    public void Random_corruption_never_escapes_as_another_exception_type()
    {
        var body = OtlpProtobufEncoder.EncodeExportRequest(SampleSpans.EveryField());
        var random = new Random(1234);
        for (var round = 0; round < 3000; round++)
        {
            var corrupted = (byte[])body.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            var error = Record.Exception(() => Decode(corrupted));
            Assert.True(error is null or ProtocolException, $"round {round}: {error}");
        }
    }
}
