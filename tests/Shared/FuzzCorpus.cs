using System.Text;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Zipkin;

namespace Threadline.Testing;

/// <summary>
/// Valid bodies of each ingest format for <see cref="BodyMutator"/> to start from: encoder output
/// covering every field and attribute type, plus hand-written JSON with escapes, snake_case keys,
/// nulls and unknown fields, which the encoders never write but clients do.
/// </summary>
internal static class FuzzCorpus
{
    public static readonly IReadOnlyList<byte[]> OtlpProtobuf = [.. SpanSets().Select(OtlpProtobufEncoder.EncodeExportRequest), .. HandWrittenProtobuf()];

    public static readonly IReadOnlyList<byte[]> OtlpJson =
    [
        .. SpanSets().Select(OtlpJsonEncoder.EncodeExportRequest),
        Utf8("""
            {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"caf\u00e9 \ud83d\ude00"}}],"dropped_attributes_count":1},
             "schema_url":"s","unknown":{"a":[1,{"b":null}]},
             "scope_spans":[{"scope":{"name":"\u0073cope","version":null},"spans":[
              {"trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","span_id":"00f067aa0ba902b7","parent_span_id":"","name":"GET \/cart\n",
               "kind":"SPAN_KIND_SERVER","start_time_unix_nano":"1700000000000000000","end_time_unix_nano":1700000000150000000,
               "attributes":[{"key":"d","value":{"double_value":"NaN"}},{"key":"i","value":{"int_value":"-7"}},
                {"key":"b","value":{"bytes_value":"AAEC_-8"}},{"key":"k\u0065y","value":{"kvlist_value":{"values":[{"key":"x","value":{"array_value":{"values":[{"bool_value":true}]}}}]}}}],
               "events":[{"time_unix_nano":"1","name":"e","attributes":[]}],
               "links":[{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","trace_state":"a=b","flags":1}],
               "status":{"code":"STATUS_CODE_ERROR","message":"m\u00e9"},"trace_state":"x=y","flags":"257"}]}]}]}
            """),
        Utf8("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"\u0034bf92f3577b34da6a3ce929d0e0e4736","spanId":"\u0030\u0030f067aa0ba902b7","startTimeUnixNano":"\u0031","attributes":[{"key":"\u00e9","value":{"doubleValue":"-Infinity"}}]}]}]}]}"""),
    ];

    public static readonly IReadOnlyList<byte[]> Zipkin =
    [
        .. SpanSets().Select(ZipkinJsonEncoder.Encode),
        Utf8("""
            [{"traceId":"5af7183fb1d4cf5f","id":"6b221d5bc9e6496c","parentId":"\u0030000000000000001","name":"get \/api \u00e9","kind":"client",
              "timestamp":1700000000000000,"duration":"1500","debug":true,"shared":false,
              "localEndpoint":{"serviceName":"fr\u006fntend","ipv4":"127.0.0.1","port":8080},
              "remoteEndpoint":{"serviceName":"db","ipv6":"::1","port":"5432","unknown":[1]},
              "annotations":[{"timestamp":1700000000000100,"value":"retry \ud83d\ude00"}],
              "tags":{"error":"boom","http.status_code":500,"ok":true,"otel.status_code":"ERROR","otel.scope.name":"s","otel.library.version":"1","k\u00e9y":"v"}},
             {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","id":"1","name":null,"tags":null}]
            """),
    ];

    /// <summary>Span sets for the encoders: every attribute type, links and events, several resources and scopes.</summary>
    private static IEnumerable<Span[]> SpanSets()
    {
        var checkout = new Resource([new KeyValue("service.name", "checkout"), new KeyValue("host.cpu.count", 8)], 2, "https://opentelemetry.io/schemas/1.26.0");
        var payments = new Resource([new KeyValue("service.name", "paymënts")]);
        var scope = new InstrumentationScope("Npgsql", "9.0.1", [new KeyValue("scope.kind", "client")], 1, "schema");
        KeyValue[] everyType =
        [
            new("string", "value ünïcødé ✓"), new("bool", true), new("int", long.MinValue), new("double", double.NaN),
            new("bytes", AttributeValue.FromBytes([0, 1, 0xFF])), new("empty", AttributeValue.Empty),
            new("array", AttributeValue.FromArray(["a", 1L, AttributeValue.FromArray([2.5])])),
            new("kvlist", AttributeValue.FromKeyValueList([new("inner", AttributeValue.FromKeyValueList([new("deep", "x")]))])),
        ];
        var traceId = new TraceId(0x4bf92f3577b34da6, 0xa3ce929d0e0e4736);
        var root = new Span
        {
            TraceId = traceId, SpanId = new SpanId(0x00f067aa0ba902b7), Name = "GET /cart", Kind = SpanKind.Server,
            StartTimeUnixNano = 1_700_000_000_000_000_000, EndTimeUnixNano = 1_700_000_000_150_000_000,
            TraceState = "vendor=1", Flags = 0x101, Attributes = everyType, DroppedAttributesCount = 3,
            Events = [new SpanEvent(1_700_000_000_010_000_000, "retry", [new KeyValue("attempt", 2L)], 1)],
            Links = [new SpanLink(new TraceId(1, 2), new SpanId(3), "a=b", [new KeyValue("link", "x")], 0, 1)],
            Status = new SpanStatus(StatusCode.Error, "timeout"), Resource = checkout, Scope = scope,
        };
        var child = new Span
        {
            TraceId = traceId, SpanId = new SpanId(0xb7ad6b7169203331), ParentSpanId = root.SpanId, Name = "SELECT carts",
            Kind = SpanKind.Client, StartTimeUnixNano = 1_700_000_000_010_000_000, EndTimeUnixNano = 1_700_000_000_040_000_000,
            Attributes = [new KeyValue("db.system", "postgresql"), new KeyValue("peer.service", "db")],
            Status = new SpanStatus(StatusCode.Ok, string.Empty), Resource = payments,
        };
        yield return [root, child];
        yield return [child];
    }

    /// <summary>Protobuf the encoder never writes: unknown fields of every wire type, a group, fields out of order.</summary>
    private static IEnumerable<byte[]> HandWrittenProtobuf()
    {
        // ExportTraceServiceRequest { resource_spans { scope_spans { spans {...}, unknown }, resource {}, unknown } }
        byte[] span =
        [
            0x0A, 16, .. Enumerable.Range(1, 16).Select(i => (byte)i),
            0x12, 8, .. Enumerable.Range(1, 8).Select(i => (byte)i),
            0x2A, 3, (byte)'a', (byte)'b', (byte)'c',
            0xF8, 0x07, 0x01,             // field 127, varint (unknown)
            0x9B, 0x01, 0x08, 0x01, 0x9C, 0x01, // field 19 group holding a varint (unknown)
        ];
        byte[] scopeSpans = [0x12, (byte)span.Length, .. span, 0x25, 1, 2, 3, 4]; // then field 4, 32-bit (unknown)
        byte[] resourceSpans = [0x12, (byte)scopeSpans.Length, .. scopeSpans, 0x0A, 0x00, 0x21, 0, 0, 0, 0, 0, 0, 0, 0];
        yield return [0x0A, (byte)resourceSpans.Length, .. resourceSpans];
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
