using System.Buffers.Binary;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;

namespace Threadline.Cli.Load;

/// <summary>
/// Makes OTLP protobuf request bodies shaped like a real service's export: three services, traces
/// of ten spans, each span with 11 attributes and 2 events. Bodies are encoded once as templates;
/// every request gets fresh trace ids patched into a copy, so the store sees new traces without the
/// generator paying for encoding on the hot path.
/// </summary>
internal sealed class LoadRequestFactory : ILoadRequestSource
{
    private const int TemplateCount = 16;
    private const int SpansPerTrace = 10;
    private static readonly string[] ServiceNames = ["api-gateway", "order-service", "inventory-service"];

    private readonly (byte[] Body, int[] TraceIdOffsets)[] _templates;
    private long _sequence;

    public LoadRequestFactory(int spansPerRequest)
    {
        SpansPerRequest = spansPerRequest;
        _templates = new (byte[], int[])[TemplateCount];
        var random = new Random(20261121);
        for (var i = 0; i < TemplateCount; i++)
        {
            var (spans, traceIds) = BuildSpans(random, spansPerRequest);
            var body = OtlpProtobufEncoder.EncodeExportRequest(spans);
            _templates[i] = (body, FindOffsets(body, traceIds));
        }
    }

    public int SpansPerRequest { get; }

    /// <summary>The size of one request body, in bytes.</summary>
    public int BodyBytes => _templates[0].Body.Length;

    /// <summary>A new body with trace ids no other request of this run has used; never runs out.</summary>
    public LoadRequest? Next() => new LoadRequest(NextBody(), SpansPerRequest, Probe: null);

    /// <inheritdoc cref="Next"/>
    public byte[] NextBody()
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var (template, offsets) = _templates[sequence % TemplateCount];
        var body = (byte[])template.Clone();
        // Each template's traces keep their own slot; the high half makes the id unique per request.
        for (var slot = 0; slot < offsets.Length; slot++)
        {
            var idBytes = body.AsSpan(offsets[slot], TraceId.ByteLength);
            BinaryPrimitives.WriteInt64BigEndian(idBytes, sequence);
        }
        return body;
    }

    private static (Span[] Spans, TraceId[] TraceIds) BuildSpans(Random random, int count)
    {
        var services = ServiceNames
            .Select(name => new Resource(
            [
                new KeyValue("service.name", name),
                new KeyValue("service.version", "1.8.3"),
                new KeyValue("deployment.environment.name", "load"),
                new KeyValue("host.name", "loadgen-host"),
            ]))
            .ToArray();
        var scope = new InstrumentationScope("Threadline.Loadgen", "1.0.0");
        var spans = new Span[count];
        var traceIds = new List<TraceId>();
        var start = (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        TraceId traceId = default;
        SpanId root = default;
        for (var i = 0; i < count; i++)
        {
            if (i % SpansPerTrace == 0)
            {
                traceId = new TraceId((ulong)random.NextInt64(1, long.MaxValue), (ulong)random.NextInt64(1, long.MaxValue));
                traceIds.Add(traceId);
                root = default;
            }
            var spanId = new SpanId((ulong)random.NextInt64(1, long.MaxValue));
            var spanStart = start + (ulong)(i * 1_000_000);
            var duration = (ulong)random.Next(100_000, 250_000_000);
            spans[i] = new Span
            {
                TraceId = traceId,
                SpanId = spanId,
                ParentSpanId = root,
                Name = i % 3 == 0 ? "GET /api/orders/{id}" : "SELECT orders",
                Kind = root.IsEmpty ? SpanKind.Server : SpanKind.Client,
                StartTimeUnixNano = spanStart,
                EndTimeUnixNano = spanStart + duration,
                Status = i % 50 == 0 ? new SpanStatus(StatusCode.Error, "upstream timed out") : SpanStatus.Unset,
                Resource = services[i % services.Length],
                Scope = scope,
                Attributes =
                [
                    new KeyValue("http.request.method", "GET"),
                    new KeyValue("http.route", "/api/orders/{id}"),
                    new KeyValue("http.response.status_code", 200L),
                    new KeyValue("url.full", $"http://127.0.0.1:8080/api/orders/{random.Next(100_000)}"),
                    new KeyValue("server.address", "127.0.0.1"),
                    new KeyValue("server.port", 8080L),
                    new KeyValue("network.protocol.version", "1.1"),
                    new KeyValue("user_agent.original", "loadgen/1.0"),
                    new KeyValue("db.system.name", "sqlite"),
                    new KeyValue("cache.hit", random.Next(2) == 0),
                    new KeyValue("order.total", random.NextDouble() * 500),
                ],
                Events =
                [
                    new SpanEvent(spanStart + 1_000, "cache.lookup", [new KeyValue("cache.key", "order:42"), new KeyValue("cache.hit", false)]),
                    new SpanEvent(spanStart + 2_000, "db.query", [new KeyValue("db.rows", 12L), new KeyValue("db.table", "orders")]),
                ],
            };
            if (root.IsEmpty) root = spanId;
        }
        return (spans, traceIds.ToArray());
    }

    private static int[] FindOffsets(byte[] body, TraceId[] traceIds)
    {
        var offsets = new List<int>();
        Span<byte> idBytes = stackalloc byte[TraceId.ByteLength];
        foreach (var traceId in traceIds)
        {
            traceId.WriteBytes(idBytes);
            var from = 0;
            while (true)
            {
                var found = body.AsSpan(from).IndexOf(idBytes);
                if (found < 0) break;
                offsets.Add(from + found);
                from += found + TraceId.ByteLength;
            }
        }
        return offsets.ToArray();
    }
}
