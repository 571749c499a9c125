using Threadline.Core.Model;

namespace Threadline.Protocol.Tests.Support;

/// <summary>Span models used across the tests.</summary>
internal static class SampleSpans
{
    public static readonly TraceId TraceA = TraceId.Parse("4bf92f3577b34da6a3ce929d0e0e4736");
    public static readonly TraceId TraceB = TraceId.Parse("0af7651916cd43dd8448eb211c80319c");

    /// <summary>
    /// Every field the model has, every attribute type, two resources, three scopes; already in
    /// the resource → scope order that the encoders group into, so that round trips keep it.
    /// </summary>
    public static Span[] EveryField()
    {
        var checkout = new Resource(
            [
                new KeyValue("service.name", "checkout"),
                new KeyValue("service.instance.id", "checkout-7d9f"),
                new KeyValue("host.cpu.count", 8),
            ],
            droppedAttributesCount: 2,
            schemaUrl: "https://opentelemetry.io/schemas/1.26.0");
        var payments = new Resource([new KeyValue("service.name", "payments")]);
        var http = new InstrumentationScope("Microsoft.AspNetCore", "10.0.0", [new KeyValue("scope.kind", "server")], 1, "https://opentelemetry.io/schemas/1.24.0");
        var db = new InstrumentationScope("Npgsql", "9.0.1");
        var bare = InstrumentationScope.Empty;

        var everyType = new KeyValue[]
        {
            new("string", "value ünïcødé ✓"),
            new("empty.string", ""),
            new("bool.true", true),
            new("bool.false", false),
            new("int", -42L),
            new("int.max", long.MaxValue),
            new("int.min", long.MinValue),
            new("int.zero", 0L),
            new("double", 3.25),
            new("double.nan", double.NaN),
            new("double.inf", double.PositiveInfinity),
            new("double.neg.inf", double.NegativeInfinity),
            new("double.zero", 0.0),
            new("bytes", AttributeValue.FromBytes([0, 1, 2, 0xFE, 0xFF])),
            new("bytes.empty", AttributeValue.FromBytes([])),
            new("empty", AttributeValue.Empty),
            new("array", AttributeValue.FromArray(["a", 1L, true, 2.5, AttributeValue.Empty, AttributeValue.FromArray([1L, AttributeValue.FromArray([])])])),
            new("kvlist", AttributeValue.FromKeyValueList(
            [
                new("inner.string", "x"),
                new("inner.list", AttributeValue.FromKeyValueList([new("deep", AttributeValue.FromArray(["y"]))])),
                new("inner.empty.list", AttributeValue.FromKeyValueList([])),
            ])),
            new("", "empty key"),
            new("long.string", new string('x', 300)),
        };

        return
        [
            new Span
            {
                TraceId = TraceA,
                SpanId = SpanId.Parse("00f067aa0ba902b7"),
                TraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
                Flags = 0x301,
                Name = "GET /api/cart",
                Kind = SpanKind.Server,
                StartTimeUnixNano = 1_700_000_000_000_000_001,
                EndTimeUnixNano = 1_700_000_000_250_000_002,
                Attributes = everyType,
                DroppedAttributesCount = 3,
                Events =
                [
                    new SpanEvent(1_700_000_000_100_000_000, "exception", [new("exception.type", "System.InvalidOperationException"), new("exception.escaped", true)], 1),
                    new SpanEvent(1_700_000_000_200_000_000, "", []),
                ],
                DroppedEventsCount = 4,
                Links =
                [
                    new SpanLink(TraceB, SpanId.Parse("b7ad6b7169203331"), "vendor=1", [new("link.kind", "follows")], 2, 0x101),
                    new SpanLink(TraceA, SpanId.Parse("0000000000000001"), "", []),
                ],
                DroppedLinksCount = 5,
                Status = new SpanStatus(StatusCode.Error, "cart service unavailable"),
                Resource = checkout,
                Scope = http,
            },
            new Span
            {
                TraceId = TraceA,
                SpanId = SpanId.Parse("2222222222222222"),
                ParentSpanId = SpanId.Parse("00f067aa0ba902b7"),
                Name = "internal work",
                Kind = SpanKind.Internal,
                StartTimeUnixNano = 1_700_000_000_030_000_000,
                EndTimeUnixNano = 1_700_000_000_040_000_000,
                Resource = checkout,
                Scope = http,
            },
            new Span
            {
                TraceId = TraceA,
                SpanId = SpanId.Parse("1111111111111111"),
                ParentSpanId = SpanId.Parse("00f067aa0ba902b7"),
                Name = "SELECT cart",
                Kind = SpanKind.Client,
                StartTimeUnixNano = 1_700_000_000_010_000_000,
                EndTimeUnixNano = 1_700_000_000_020_000_000,
                Attributes = [new("db.system", "postgresql"), new("db.statement", "SELECT * FROM cart WHERE id = $1")],
                Status = new SpanStatus(StatusCode.Ok, ""),
                Resource = checkout,
                Scope = db,
            },
            new Span
            {
                TraceId = TraceB,
                SpanId = SpanId.Parse("3333333333333333"),
                Name = "",
                Kind = SpanKind.Unspecified,
                Status = new SpanStatus(StatusCode.Unset, "a message without a code"),
                Resource = payments,
                Scope = bare,
            },
            new Span
            {
                TraceId = TraceB,
                SpanId = SpanId.Parse("4444444444444444"),
                ParentSpanId = SpanId.Parse("3333333333333333"),
                Name = "publish",
                Kind = SpanKind.Producer,
                Flags = 1,
                Resource = payments,
                Scope = db,
            },
            new Span
            {
                TraceId = TraceB,
                SpanId = SpanId.Parse("5555555555555555"),
                ParentSpanId = SpanId.Parse("4444444444444444"),
                Name = "consume",
                Kind = SpanKind.Consumer,
                Resource = payments,
                Scope = db,
            },
        ];
    }

    /// <summary>A plain span with a valid id, for tests that need many of them.</summary>
    public static Span Simple(int index, Resource? resource = null, InstrumentationScope? scope = null) => new()
    {
        TraceId = TraceA,
        SpanId = new SpanId((ulong)index + 1),
        Name = $"span {index}",
        Kind = SpanKind.Internal,
        StartTimeUnixNano = 1_700_000_000_000_000_000 + (ulong)index,
        EndTimeUnixNano = 1_700_000_000_000_001_000 + (ulong)index,
        Attributes = [new("index", index)],
        Resource = resource ?? Resource.Empty,
        Scope = scope ?? InstrumentationScope.Empty,
    };
}
