using Threadline.Core.Model;

namespace Threadline.Storage.Tests.Embedded.Blocks;

/// <summary>
/// Seeded random traces that exercise every field a block stores: every attribute type (nested
/// arrays and key-value lists, bytes, NaN and negative zero), dedicated keys with their type and
/// another, repeated keys, events and links, extreme times (end before start, past 2262), empty
/// and non-ASCII strings, shared and distinct resources and scopes, parents missing and cyclic.
/// </summary>
internal sealed class RandomSpans(int seed)
{
    private static readonly string[] Keys =
    [
        "http.request.method", "http.response.status_code", "http.route", "url.full", "server.address", "db.system.name",
        "db.query.text", "rpc.method", "rpc.service", "messaging.system", "user.id", "retry", "é.ключ", "",
    ];

    private static readonly string[] Words = ["", "GET", "POST", "/api/orders/{id}", "postgresql", "ünïcødé ✓", "a\0b", "kafka", "checkout"];

    private readonly Random _random = new(seed);

    public List<Resource> Resources { get; } = [];

    public Span[] Trace(int spans)
    {
        var traceId = new TraceId(NextULong() | 1, NextULong());
        var ids = Enumerable.Range(0, spans).Select(_ => new SpanId(NextULong() | 1)).ToArray();
        var baseTime = 1_735_689_600_000_000_000UL + (ulong)_random.NextInt64(0, 3_600_000_000_000);
        var result = new Span[spans];
        for (var i = 0; i < spans; i++)
        {
            var parent = i == 0 ? SpanId.Empty
                : _random.Next(10) == 0 ? new SpanId(NextULong() | 1) // parent not in the trace
                : ids[_random.Next(i)];
            var start = _random.Next(50) == 0 ? ulong.MaxValue - (ulong)_random.Next(1000) : baseTime + (ulong)_random.NextInt64(0, 10_000_000_000);
            var end = _random.Next(20) == 0 ? start - 5 : start + (ulong)_random.NextInt64(0, 2_000_000_000);
            result[i] = new Span
            {
                TraceId = traceId,
                SpanId = ids[i],
                ParentSpanId = parent,
                TraceState = Pick(["", "rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE"]),
                Flags = _random.Next(4) == 0 ? uint.MaxValue : (uint)_random.Next(0x400),
                Name = Pick(Words) + _random.Next(5),
                Kind = (SpanKind)_random.Next(6),
                StartTimeUnixNano = start,
                EndTimeUnixNano = end,
                Attributes = Attributes(_random.Next(8), 0),
                DroppedAttributesCount = _random.Next(5) == 0 ? uint.MaxValue : (uint)_random.Next(3),
                Events = [.. Enumerable.Range(0, _random.Next(3)).Select(_ => new SpanEvent(
                    _random.Next(2) == 0 ? start + (ulong)_random.Next(1000) : (ulong)_random.NextInt64(), Pick(Words), Attributes(_random.Next(3), 0), (uint)_random.Next(3)))],
                DroppedEventsCount = (uint)_random.Next(3),
                Links = [.. Enumerable.Range(0, _random.Next(3)).Select(_ => new SpanLink(
                    new TraceId(NextULong(), NextULong()), new SpanId(NextULong()), Pick(["", "k=v"]), Attributes(_random.Next(3), 0), (uint)_random.Next(3), (uint)_random.Next(0x300)))],
                DroppedLinksCount = (uint)_random.Next(3),
                Status = new SpanStatus((StatusCode)_random.Next(3), Pick(Words)),
                Resource = NextResource(),
                Scope = _random.Next(3) == 0
                    ? new InstrumentationScope(Pick(Words), Pick(["", "1.0"]), Attributes(_random.Next(2), 0), (uint)_random.Next(2), Pick(["", "https://opentelemetry.io/schemas/1.26.0"]))
                    : new InstrumentationScope("Microsoft.AspNetCore", "10.0.0"),
            };
        }
        return result;
    }

    private Resource NextResource()
    {
        if (Resources.Count > 0 && _random.Next(4) != 0) return Resources[_random.Next(Resources.Count)];
        var attributes = Attributes(_random.Next(4), 0);
        if (_random.Next(5) != 0) attributes = [new KeyValue("service.name", "svc-" + _random.Next(6)), .. attributes];
        var resource = new Resource(attributes, (uint)_random.Next(2), Pick(["", "https://opentelemetry.io/schemas/1.26.0"]));
        Resources.Add(resource);
        return resource;
    }

    private KeyValue[] Attributes(int count, int depth) =>
        [.. Enumerable.Range(0, count).Select(_ => new KeyValue(Pick(Keys), Value(depth)))];

    private AttributeValue Value(int depth) => _random.Next(depth < 2 ? 9 : 7) switch
    {
        0 => AttributeValue.FromString(Pick(Words)),
        1 => AttributeValue.FromInt(_random.Next(3) == 0 ? long.MinValue + _random.Next(3) : _random.Next(-1000, 1000)),
        2 => AttributeValue.FromDouble(Pick([0.5, -0.0, double.NaN, double.MaxValue, 1e-300, 200.0])),
        3 => AttributeValue.FromBool(_random.Next(2) == 0),
        4 => AttributeValue.FromBytes([.. Enumerable.Range(0, _random.Next(5)).Select(_ => (byte)_random.Next(256))]),
        5 => AttributeValue.FromInt(_random.Next(100, 600)),
        6 => AttributeValue.Empty,
        7 => AttributeValue.FromArray([.. Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth + 1))]),
        _ => AttributeValue.FromKeyValueList(Attributes(_random.Next(3), depth + 1)),
    };

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private ulong NextULong() => (ulong)_random.NextInt64() ^ ((ulong)_random.Next() << 40);
}
