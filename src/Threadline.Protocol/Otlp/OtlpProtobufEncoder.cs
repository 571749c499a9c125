using Threadline.Core.Model;

namespace Threadline.Protocol.Otlp;

/// <summary>Encodes Core spans as OTLP protobuf messages.</summary>
public static class OtlpProtobufEncoder
{
    /// <summary>An ExportTraceServiceRequest grouping spans by resource then scope (by reference).</summary>
    public static byte[] EncodeExportRequest(IReadOnlyList<Span> spans) => throw new NotImplementedException();

    /// <summary>An ExportTraceServiceResponse; partial_success is set only when something was rejected.</summary>
    public static byte[] EncodeExportResponse(int rejectedSpans, string? errorMessage) => throw new NotImplementedException();
}
