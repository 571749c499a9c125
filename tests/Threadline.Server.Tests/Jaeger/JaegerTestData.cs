using System.Net;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Jaeger;

/// <summary>Spans for the Jaeger API tests, sent through the OTLP/HTTP receiver as a client would.</summary>
internal static class JaegerTestData
{
    public const ulong Start = 1_700_000_000_000_000_000;

    public static async Task PostAsync(ThreadlineServer server, Span[] spans)
    {
        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// A frontend SERVER root calling the cart service: a frontend CLIENT span and its cart SERVER
    /// child (which fails), the pair the service graph counts as one frontend→cart call.
    /// </summary>
    public static Span[] CallTrace(ulong start = Start)
    {
        var traceId = TestSpans.NewTraceId();
        var frontend = new Resource([new KeyValue("service.name", "frontend"), new KeyValue("host.name", "web-1")]);
        var cart = new Resource([new KeyValue("service.name", "cart")]);
        var scope = new InstrumentationScope("shop", "2.1");
        var root = new Span { TraceId = traceId, SpanId = TestSpans.NewSpanId(), Name = "GET /checkout", Kind = SpanKind.Server, StartTimeUnixNano = start, EndTimeUnixNano = start + 300_000_000, Resource = frontend, Scope = scope, Attributes = [new KeyValue("http.route", "/checkout")] };
        var call = new Span { TraceId = traceId, SpanId = TestSpans.NewSpanId(), ParentSpanId = root.SpanId, Name = "POST /cart", Kind = SpanKind.Client, StartTimeUnixNano = start + 10_000_000, EndTimeUnixNano = start + 200_000_000, Resource = frontend, Scope = scope };
        var served = new Span
        {
            TraceId = traceId, SpanId = TestSpans.NewSpanId(), ParentSpanId = call.SpanId, Name = "POST /cart", Kind = SpanKind.Server,
            StartTimeUnixNano = start + 20_000_000, EndTimeUnixNano = start + 190_000_000, Resource = cart, Scope = scope,
            Status = new SpanStatus(StatusCode.Error, "out of stock"),
            Events = [new SpanEvent(start + 50_000_000, "exception", [new KeyValue("exception.type", "OutOfStock")])],
            Links = [new SpanLink(TestSpans.NewTraceId(), new SpanId(0x42), string.Empty, [])],
            TraceState = "vendor=1",
        };
        return [root, call, served];
    }
}
