using Threadline.Core.Model;

namespace Threadline.Protocol.Otlp;

/// <summary>Decodes an OTLP ExportTraceServiceRequest (binary protobuf) into Core spans.</summary>
public static class OtlpProtobufDecoder
{
    /// <summary>Throws <see cref="ProtocolException"/> for malformed input; spans with invalid ids are counted in RejectedSpans.</summary>
    public static DecodedSpans DecodeExportRequest(ReadOnlySpan<byte> body, DecodeLimits limits) => throw new NotImplementedException();
}
