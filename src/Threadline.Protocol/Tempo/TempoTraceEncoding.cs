using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;

namespace Threadline.Protocol.Tempo;

/// <summary>
/// One trace as Tempo's trace-by-id endpoints answer it. <c>/api/traces/{id}</c> answers a
/// <c>tempopb.Trace</c>, whose JSON calls the ResourceSpans <c>batches</c>; <c>/api/v2/traces/{id}</c>
/// a <c>tempopb.TraceByIDResponse</c> (<c>{"trace":{"resourceSpans":[…]}}</c>). Both in protobuf-JSON:
/// ids base64, enums by name.
/// </summary>
public static class TempoTraceEncoding
{
    private static readonly OtlpJsonStyle V1Style = new(JsonEncodedText.Encode("batches"), IdsAsBase64: true, EnumsAsNames: true);
    private static readonly OtlpJsonStyle V2Style = new(JsonEncodedText.Encode("resourceSpans"), IdsAsBase64: true, EnumsAsNames: true);

    /// <summary><c>{"batches":[…]}</c>.</summary>
    public static void WriteTraceJson(Utf8JsonWriter writer, IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }
        OtlpJsonEncoder.WriteExportRequest(writer, spans, V1Style);
    }

    /// <summary><c>{"trace":{"resourceSpans":[…]}}</c>; <c>{"trace":{}}</c> for no spans, as Tempo answers an unknown id.</summary>
    public static void WriteTraceByIdResponseJson(Utf8JsonWriter writer, IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spans);
        writer.WriteStartObject();
        writer.WritePropertyName("trace");
        if (spans.Count == 0)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            OtlpJsonEncoder.WriteExportRequest(writer, spans, V2Style);
        }
        writer.WriteEndObject();
    }

    /// <summary>tempopb.Trace: resourceSpans = 1, the same bytes as an OTLP ExportTraceServiceRequest.</summary>
    public static byte[] EncodeTrace(IReadOnlyList<Span> spans) => OtlpProtobufEncoder.EncodeExportRequest(spans);

    /// <summary>tempopb.TraceByIDResponse: trace = 1 (present, if empty, as Tempo always sets it).</summary>
    public static byte[] EncodeTraceByIdResponse(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var trace = OtlpProtobufEncoder.EncodeExportRequest(spans);
        using var writer = new ProtobufWriter(trace.Length + 8);
        writer.WriteBytesAlways(1, trace);
        return writer.ToArray();
    }
}
