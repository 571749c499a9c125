using System.Text;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Tests.Support;
using Threadline.Protocol.Zipkin;

namespace Threadline.Protocol.Tests;

/// <summary>Behaviour shared by all decoders: per-thread scratch state, limits, concurrency.</summary>
public sealed class DecoderRobustnessTests
{
    [Fact]
    public void A_failed_decode_leaves_nothing_behind_for_the_next_decode_on_the_thread()
    {
        var valid = OtlpProtobufEncoder.EncodeExportRequest(SampleSpans.EveryField());
        // Cut inside the last span so that the failure happens with attributes, events and spans half collected.
        var truncated = valid.AsSpan(0, valid.Length - 20).ToArray();

        Assert.Throws<ProtocolException>(() => OtlpProtobufDecoder.DecodeExportRequest(truncated, DecodeLimits.Default));
        Assert.Throws<ProtocolException>(() => OtlpJsonDecoder.DecodeExportRequest(OtlpJsonEncoder.EncodeExportRequest(SampleSpans.EveryField()).AsSpan(0, 900), DecodeLimits.Default));
        var decoded = OtlpProtobufDecoder.DecodeExportRequest(valid, DecodeLimits.Default);

        ModelAssert.Equal(SampleSpans.EveryField(), decoded.Spans);
    }

    [Fact]
    public void Decoders_running_on_many_threads_at_once_each_get_their_own_results()
    {
        var spans = SampleSpans.EveryField();
        var protobuf = OtlpProtobufEncoder.EncodeExportRequest(spans);
        var json = OtlpJsonEncoder.EncodeExportRequest(spans);

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var decoded = i % 2 == 0
                ? OtlpProtobufDecoder.DecodeExportRequest(protobuf, DecodeLimits.Default)
                : OtlpJsonDecoder.DecodeExportRequest(json, DecodeLimits.Default);
            ModelAssert.Equal(spans, decoded.Spans);
        });
    }

    [Fact]
    public void Decoded_spans_do_not_depend_on_the_input_buffer_afterwards()
    {
        var body = OtlpProtobufEncoder.EncodeExportRequest(SampleSpans.EveryField());

        var decoded = OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default);
        Array.Clear(body);

        ModelAssert.Equal(SampleSpans.EveryField(), decoded.Spans);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(DecodeLimits.MaxAllowedValueDepth + 1)]
    public void Value_depth_limit_outside_the_supported_range_is_refused(int depth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecodeLimits { MaxValueDepth = depth });
    }

    [Fact]
    public void Zero_value_depth_allows_scalar_attributes_only()
    {
        var limits = new DecodeLimits { MaxValueDepth = 0 };
        var scalar = new Span { TraceId = SampleSpans.TraceA, SpanId = new SpanId(1), Name = "n", Attributes = [new("k", "v")] };
        var array = new Span { TraceId = SampleSpans.TraceA, SpanId = new SpanId(1), Name = "n", Attributes = [new("k", AttributeValue.FromArray([]))] };

        Assert.Single(OtlpProtobufDecoder.DecodeExportRequest(OtlpProtobufEncoder.EncodeExportRequest([scalar]), limits).Spans);
        Assert.Throws<ProtocolException>(() => OtlpProtobufDecoder.DecodeExportRequest(OtlpProtobufEncoder.EncodeExportRequest([array]), limits));
        Assert.Throws<ProtocolException>(() => OtlpJsonDecoder.DecodeExportRequest(OtlpJsonEncoder.EncodeExportRequest([array]), limits));
    }

    [Fact]
    public void Every_decoder_checks_its_limits_argument()
    {
        Assert.Throws<ArgumentNullException>(() => OtlpProtobufDecoder.DecodeExportRequest([], null!));
        Assert.Throws<ArgumentNullException>(() => OtlpJsonDecoder.DecodeExportRequest("{}"u8, null!));
        Assert.Throws<ArgumentNullException>(() => ZipkinJsonDecoder.Decode("[]"u8, null!));
    }

    [Fact]
    public void Non_ascii_keys_and_values_decode_in_every_format()
    {
        var span = new Span
        {
            TraceId = SampleSpans.TraceA, SpanId = new SpanId(9), Name = "naïve ✓",
            Attributes = [new("clé", "valeur 日本"), new("emoji.🙂", "🙂")],
            Resource = new Resource([new("service.name", "sérvice")]),
        };

        ModelAssert.Equal([span], OtlpProtobufDecoder.DecodeExportRequest(OtlpProtobufEncoder.EncodeExportRequest([span]), DecodeLimits.Default).Spans);
        ModelAssert.Equal([span], OtlpJsonDecoder.DecodeExportRequest(OtlpJsonEncoder.EncodeExportRequest([span]), DecodeLimits.Default).Spans);
        var zipkin = Assert.Single(ZipkinJsonDecoder.Decode(ZipkinJsonEncoder.Encode([span]), DecodeLimits.Default).Spans);
        Assert.Equal(("naïve ✓", "sérvice"), (zipkin.Name, zipkin.ServiceName));
        Assert.Equal(span.Attributes, zipkin.Attributes);
        Assert.Contains("sérvice", Encoding.UTF8.GetString(ZipkinJsonEncoder.Encode([span])).Replace("\\u00E9", "é", StringComparison.Ordinal));
    }
}
