using System.Text.Json;
using Threadline.Core.Model;

namespace Threadline.Protocol.Otlp;

/// <summary>Writes Core spans in the OTLP/JSON mapping.</summary>
public static class OtlpJsonEncoder
{
    /// <summary>Writes a whole ExportTraceServiceRequest object ({"resourceSpans":[...]}).</summary>
    public static void WriteExportRequest(Utf8JsonWriter writer, IReadOnlyList<Span> spans) => throw new NotImplementedException();

    public static byte[] EncodeExportRequest(IReadOnlyList<Span> spans) => throw new NotImplementedException();

    public static byte[] EncodeExportResponse(int rejectedSpans, string? errorMessage) => throw new NotImplementedException();
}
