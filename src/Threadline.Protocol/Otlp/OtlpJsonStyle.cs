using System.Text.Json;

namespace Threadline.Protocol.Otlp;

/// <summary>
/// How a JSON rendering of OTLP spans differs from the OTLP/JSON mapping. Tempo answers in Go's
/// protobuf-JSON (jsonpb): ids as base64 bytes, enums by name, and its v1 trace API calls the
/// ResourceSpans array <c>batches</c>.
/// </summary>
internal sealed record OtlpJsonStyle(JsonEncodedText ResourceSpansName, bool IdsAsBase64, bool EnumsAsNames)
{
    /// <summary>The OTLP/JSON mapping: hex ids, enums as integers.</summary>
    public static OtlpJsonStyle Otlp { get; } = new(JsonEncodedText.Encode("resourceSpans"), IdsAsBase64: false, EnumsAsNames: false);
}
