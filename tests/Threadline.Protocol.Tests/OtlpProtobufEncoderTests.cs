using Google.Protobuf;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Tests.Support;
using Wire = Threadline.TestSupport.Otlp;

namespace Threadline.Protocol.Tests;

public sealed class OtlpProtobufEncoderTests
{
    [Fact]
    public void Round_trip_preserves_every_field()
    {
        var spans = SampleSpans.EveryField();

        var decoded = OtlpProtobufDecoder.DecodeExportRequest(OtlpProtobufEncoder.EncodeExportRequest(spans), DecodeLimits.Default);

        ModelAssert.Equal(spans, decoded.Spans);
    }

    [Fact]
    public void Encoder_output_parses_with_the_generated_parser_into_the_same_model()
    {
        var spans = SampleSpans.EveryField();

        var parsed = Wire.ExportTraceServiceRequest.Parser.ParseFrom(OtlpProtobufEncoder.EncodeExportRequest(spans));

        ModelAssert.Equal(spans, WireModel.FromWire(parsed));
    }

    [Fact]
    public void Encoder_output_is_byte_identical_to_the_generated_serializer()
    {
        var spans = SampleSpans.EveryField();

        Assert.Equal(WireModel.ToWire(spans).ToByteArray(), OtlpProtobufEncoder.EncodeExportRequest(spans));
    }

    [Fact]
    public void Encoder_writes_multi_byte_length_prefixes_for_large_messages()
    {
        var span = new Span
        {
            TraceId = SampleSpans.TraceA,
            SpanId = new SpanId(7),
            Name = "big",
            Attributes = [new("two.byte.length", new string('a', 1_000)), new("three.byte.length", new string('b', 100_000)), new("non.ascii", new string('é', 200))],
        };

        var body = OtlpProtobufEncoder.EncodeExportRequest([span]);

        Assert.Equal(WireModel.ToWire([span]).ToByteArray(), body);
        ModelAssert.Equal([span], OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default).Spans);
    }

    [Fact]
    public void Encoder_groups_by_resource_then_scope_preserving_first_appearance_order()
    {
        var r1 = new Resource([new("service.name", "one")]);
        var r2 = new Resource([new("service.name", "two")]);
        var s1 = new InstrumentationScope("s1");
        var s2 = new InstrumentationScope("s2");
        var s3 = new InstrumentationScope("s3");
        var spans = new[]
        {
            SampleSpans.Simple(0, r1, s1),
            SampleSpans.Simple(1, r2, s2),
            SampleSpans.Simple(2, r1, s3),
            SampleSpans.Simple(3, r1, s1),
            SampleSpans.Simple(4, r2, s2),
        };

        var request = Wire.ExportTraceServiceRequest.Parser.ParseFrom(OtlpProtobufEncoder.EncodeExportRequest(spans));

        Assert.Equal(2, request.ResourceSpans.Count);
        Assert.Equal(["s1", "s3"], request.ResourceSpans[0].ScopeSpans.Select(s => s.Scope.Name));
        Assert.Equal(["span 0", "span 3"], request.ResourceSpans[0].ScopeSpans[0].Spans.Select(s => s.Name));
        Assert.Equal(["span 2"], request.ResourceSpans[0].ScopeSpans[1].Spans.Select(s => s.Name));
        Assert.Equal(["span 1", "span 4"], request.ResourceSpans[1].ScopeSpans.Single().Spans.Select(s => s.Name));
    }

    [Fact]
    public void Encoding_no_spans_gives_an_empty_request()
    {
        Assert.Empty(OtlpProtobufEncoder.EncodeExportRequest([]));
    }

    [Fact]
    public void Export_response_is_empty_when_nothing_was_rejected()
    {
        Assert.Empty(OtlpProtobufEncoder.EncodeExportResponse(0, null));
        Assert.Empty(OtlpProtobufEncoder.EncodeExportResponse(0, ""));
    }

    [Fact]
    public void Export_response_carries_partial_success_when_spans_were_rejected()
    {
        var response = Wire.ExportTraceServiceResponse.Parser.ParseFrom(OtlpProtobufEncoder.EncodeExportResponse(3, "3 spans rejected: ..."));

        Assert.Equal(3, response.PartialSuccess.RejectedSpans);
        Assert.Equal("3 spans rejected: ...", response.PartialSuccess.ErrorMessage);
    }

    [Fact]
    public void Export_response_carries_a_warning_message_with_zero_rejected()
    {
        var bytes = OtlpProtobufEncoder.EncodeExportResponse(0, "slow down");
        var response = Wire.ExportTraceServiceResponse.Parser.ParseFrom(bytes);

        Assert.Equal(0, response.PartialSuccess.RejectedSpans);
        Assert.Equal("slow down", response.PartialSuccess.ErrorMessage);
        Assert.Equal(new Wire.ExportTraceServiceResponse { PartialSuccess = new() { ErrorMessage = "slow down" } }.ToByteArray(), bytes);
    }
}
