namespace Threadline.Protocol.Otlp;

/// <summary>Decodes an OTLP/JSON ExportTraceServiceRequest into Core spans.</summary>
public static class OtlpJsonDecoder
{
    public static DecodedSpans DecodeExportRequest(ReadOnlySpan<byte> utf8Json, DecodeLimits limits) => throw new NotImplementedException();
}
