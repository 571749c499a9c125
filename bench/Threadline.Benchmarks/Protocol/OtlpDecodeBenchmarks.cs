using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Google.Protobuf;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Otlp;
using Wire = Threadline.TestSupport.Otlp;

namespace Threadline.Benchmarks.Protocol;

/// <summary>
/// OTLP protobuf decode and encode of a realistic export request: 3 resources, 100 spans, each
/// span with 11 semantic-convention attributes (string, int, bool, double) and 2 events of
/// 2 attributes. Google.Protobuf's generated code is the baseline in each category.
/// Spans per second = 100 / mean time.
/// </summary>
/// <remarks>
/// Each call takes the next of 64 requests that share their repeated attributes but differ in
/// ids, URLs, timings and other per-request values, as consecutive exports from a service do.
/// Decoding one body over and over would let the decoder's caches remember even the values
/// that are unique in real traffic, and overstate its speed.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OtlpDecodeBenchmarks
{
    public const int SpanCount = 100;
    private const int RequestCount = 64;

    private byte[][] _bodies = [];
    private Span[][] _spans = [];
    private Wire.ExportTraceServiceRequest[] _generated = [];
    private int _next;

    /// <summary>The request bodies, for tools that drive the decoder outside BenchmarkDotNet.</summary>
    public IReadOnlyList<byte[]> Bodies => _bodies;

    [GlobalSetup]
    public void Setup()
    {
        _spans = Enumerable.Range(0, RequestCount).Select(RealisticRequest.Build).ToArray();
        _bodies = _spans.Select(OtlpProtobufEncoder.EncodeExportRequest).ToArray();
        _generated = _bodies.Select(Wire.ExportTraceServiceRequest.Parser.ParseFrom).ToArray();
        foreach (var body in _bodies)
        {
            var decoded = OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default);
            if (decoded.Spans.Count != SpanCount || decoded.RejectedSpans != 0)
                throw new InvalidOperationException("A benchmark request does not decode to 100 valid spans.");
        }
    }

    private int Next() => _next = (_next + 1) & (RequestCount - 1);

    [Benchmark(Baseline = true, Description = "Google.Protobuf ParseFrom")]
    [BenchmarkCategory("Decode")]
    public Wire.ExportTraceServiceRequest GoogleProtobufParse() => Wire.ExportTraceServiceRequest.Parser.ParseFrom(_bodies[Next()]);

    [Benchmark(Description = "Threadline decode to Core")]
    [BenchmarkCategory("Decode")]
    public DecodedSpans ThreadlineDecode() => OtlpProtobufDecoder.DecodeExportRequest(_bodies[Next()], DecodeLimits.Default);

    [Benchmark(Baseline = true, Description = "Google.Protobuf ToByteArray")]
    [BenchmarkCategory("Encode")]
    public byte[] GoogleProtobufEncode() => _generated[Next()].ToByteArray();

    [Benchmark(Description = "Threadline encode from Core")]
    [BenchmarkCategory("Encode")]
    public byte[] ThreadlineEncode() => OtlpProtobufEncoder.EncodeExportRequest(_spans[Next()]);
}

/// <summary>The requests the protocol benchmarks use; shaped like what an instrumented web shop exports.</summary>
internal static class RealisticRequest
{
    /// <summary>Request number <paramref name="seed"/>: the same services and attribute keys, its own ids and per-request values.</summary>
    public static Span[] Build(int seed)
    {
        var services = new[] { "frontend", "checkout", "payments" };
        var spans = new List<Span>(OtlpDecodeBenchmarks.SpanCount);
        var random = new Random(seed);
        for (var r = 0; r < services.Length; r++)
        {
            var resource = new Resource(
            [
                new("service.name", services[r]),
                new("service.version", "2.14.1"),
                new("service.instance.id", $"{services[r]}-6f9c8d7b5-x{r}q2z"),
                new("host.name", $"node-{r}.prod.internal"),
                new("deployment.environment.name", "production"),
                new("telemetry.sdk.name", "opentelemetry"),
                new("telemetry.sdk.language", "dotnet"),
                new("telemetry.sdk.version", "1.12.0"),
            ]);
            var http = new InstrumentationScope("Microsoft.AspNetCore", "10.0.0");
            var db = new InstrumentationScope("Npgsql", "9.0.3");
            var count = r == 0 ? 34 : 33;
            var traceId = new TraceId((ulong)random.NextInt64(), (ulong)random.NextInt64());
            for (var i = 0; i < count; i++)
            {
                var isDb = i % 2 == 1;
                var start = 1_750_000_000_000_000_000UL + (ulong)(seed * 1_000_000_000L) + (ulong)(i * 1_000_000);
                var unique = (seed * 1000) + (r * 100) + i;
                spans.Add(new Span
                {
                    TraceId = traceId,
                    SpanId = new SpanId((ulong)random.NextInt64(1, long.MaxValue)),
                    ParentSpanId = i == 0 ? SpanId.Empty : new SpanId((ulong)random.NextInt64(1, long.MaxValue)),
                    Flags = 0x101,
                    Name = isDb ? "SELECT shop.orders" : "GET /api/orders/{id}",
                    Kind = isDb ? SpanKind.Client : SpanKind.Server,
                    StartTimeUnixNano = start,
                    EndTimeUnixNano = start + 850_000,
                    Attributes = isDb ? DbAttributes(i, unique) : HttpAttributes(i, unique),
                    Events =
                    [
                        new SpanEvent(start + 100_000, "cache.lookup", [new("cache.key", $"orders:{unique}"), new("cache.hit", i % 3 == 0)]),
                        new SpanEvent(start + 700_000, "message", [new("message.type", "SENT"), new("message.id", (long)unique)]),
                    ],
                    Status = i % 10 == 0 ? new SpanStatus(StatusCode.Error, "upstream timeout") : SpanStatus.Unset,
                    Resource = resource,
                    Scope = isDb ? db : http,
                });
            }
        }
        return [.. spans.OrderBy(s => s.Resource.ServiceName, StringComparer.Ordinal).ThenBy(s => s.Scope.Name, StringComparer.Ordinal)];
    }

    private static KeyValue[] HttpAttributes(int i, int unique) =>
    [
        new("http.request.method", "GET"),
        new("http.route", "/api/orders/{id}"),
        new("url.path", $"/api/orders/{100_000 + unique}"),
        new("url.scheme", "https"),
        new("server.address", "shop.example.com"),
        new("server.port", 443L),
        new("http.response.status_code", i % 10 == 0 ? 504L : 200L),
        new("network.protocol.version", "1.1"),
        new("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"),
        new("http.server.request.duration", 0.000850 + (unique * 0.0000001)),
        new("app.cache.enabled", true),
    ];

    private static KeyValue[] DbAttributes(int i, int unique) =>
    [
        new("db.system", "postgresql"),
        new("db.namespace", "shop"),
        new("db.query.text", "SELECT id, customer_id, total FROM orders WHERE id = $1"),
        new("db.operation.name", "SELECT"),
        new("db.collection.name", "orders"),
        new("server.address", "orders-db.prod.internal"),
        new("server.port", 5432L),
        new("db.response.returned_rows", (long)(i % 5)),
        new("network.peer.address", $"10.0.{unique % 200}.{i % 250}"),
        new("db.client.connection.pool.utilization", 0.42),
        new("db.prepared", i % 2 == 0),
    ];
}
