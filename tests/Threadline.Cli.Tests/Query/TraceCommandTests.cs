using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Server.Hosting;
using Threadline.Storage;

namespace Threadline.Cli.Tests.Query;

/// <summary><c>threadline trace</c> against a real server started in the test.</summary>
public sealed class TraceCommandTests
{
    private const ulong Start = 1_700_000_000_000_000_000;

    [Fact]
    public async Task Waterfall_shows_the_span_tree_with_bars_durations_services_and_errors()
    {
        await using var server = await InProcessServer.StartAsync();
        var spans = CheckoutTrace();
        await server.Services.GetRequiredService<ITraceStore>().AppendAsync(spans, CancellationToken.None);

        var (exitCode, output, error) = await QueryCommandTests.RunAsync("trace", spans[0].TraceId.ToString(), "--server", server.ApiEndpoint.ToString());

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n');
        Assert.Equal($"Trace {spans[0].TraceId}  api-gateway: GET /checkout", lines[0]);
        Assert.Equal("2023-11-14 22:13:20.000Z  ·  200 ms  ·  4 span(s)  ·  1 error(s)  ·  2 service(s)", lines[1]);
        Assert.Equal(
            [
                "████████████████████████████████████████    200 ms ◆ GET /checkout  api-gateway",
                "  ████████████████████                      100 ms ◆ ├─ POST /pay  api-gateway  ✗ error: card declined",
                "    ████████████████                         80 ms ◆ │  └─ charge  payments",
                "                        ████████             40 ms ◆ └─ GET /stock  api-gateway",
                "",
                "◆ critical path: the 4 span(s) that set the 200 ms end to end",
                "",
                "Health: no problems found.",
            ],
            lines.Skip(4).Take(8));
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_spans_on_the_critical_path_are_marked_and_health_findings_follow_the_tree()
    {
        await using var server = await InProcessServer.StartAsync();
        var spans = CheckoutTrace();
        var resource = spans[0].Resource;
        Span Extra(ulong id, ulong parent, string name, SpanKind kind, ulong from, ulong to) => new()
        {
            TraceId = spans[0].TraceId, SpanId = new SpanId(id), ParentSpanId = new SpanId(parent), Name = name, Kind = kind, Resource = resource,
            StartTimeUnixNano = Start + from * 1_000_000, EndTimeUnixNano = Start + to * 1_000_000,
        };
        // A cache lookup in parallel with the payment (not critical) and a span whose parent never arrived.
        Span[] trace = [.. spans, Extra(5, 1, "GET cache", SpanKind.Client, 15, 50), Extra(6, 0xf0, "POST /refund", SpanKind.Server, 170, 180)];
        await server.Services.GetRequiredService<ITraceStore>().AppendAsync(trace, CancellationToken.None);

        var (exitCode, output, error) = await QueryCommandTests.RunAsync("trace", spans[0].TraceId.ToString(), "--server", server.ApiEndpoint.ToString());

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n');
        Assert.Contains(lines, l => l.EndsWith("35 ms   ├─ GET cache  api-gateway", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("10 ms   POST /refund  api-gateway", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("80 ms ◆ │  └─ charge  payments", StringComparison.Ordinal));
        Assert.Contains("◆ critical path: the 4 span(s) that set the 200 ms end to end", lines);
        Assert.Contains("Health: 1 finding(s)", lines);
        Assert.Contains("  ✗ error    Trace is split: parent span missing (missingParent)", lines);
        Assert.Contains(lines, l => l.StartsWith("             1 span of api-gateway name parent 00000000000000f0, which never arrived.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_trace_is_reported_with_exit_code_1()
    {
        await using var server = await InProcessServer.StartAsync();

        var (exitCode, output, error) = await QueryCommandTests.RunAsync("trace", "abc", "--server", server.ApiEndpoint.ToString());

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal($"threadline trace: trace 00000000000000000000000000000abc was not found on {server.ApiEndpoint} (not received yet, or older than the store keeps).", error.Trim());
    }

    [Fact]
    public void Tree_order_survives_missing_parents_and_parent_cycles()
    {
        var traceId = new TraceId(1, 1);
        Span Make(ulong id, ulong parent, ulong start) => new() { TraceId = traceId, SpanId = new SpanId(id), ParentSpanId = new SpanId(parent), Name = $"s{id}", StartTimeUnixNano = start, EndTimeUnixNano = start + 10 };
        // 2 and 3 are each other's parent; 5's parent never arrived.
        var spans = new[] { Make(1, 0, 0), Make(2, 3, 1), Make(3, 2, 2), Make(4, 1, 3), Make(5, 99, 4) };

        var ordered = Cli.Query.TraceWaterfall.InTreeOrder(spans);

        Assert.Equal(["s1", "└─ s4", "s5", "s2", "└─ s3"], ordered.Select(o => o.Prefix + o.Span.Name));
    }

    private static Span[] CheckoutTrace()
    {
        var traceId = new TraceId(0x0af7651916cd43dd, 0x8448eb211c80319c);
        var gateway = new Resource([new KeyValue("service.name", "api-gateway")]);
        var payments = new Resource([new KeyValue("service.name", "payments")]);
        Span Make(ulong id, ulong parent, string name, Resource resource, ulong from, ulong to, SpanStatus? status = null) => new()
        {
            TraceId = traceId, SpanId = new SpanId(id), ParentSpanId = new SpanId(parent), Name = name, Resource = resource,
            StartTimeUnixNano = Start + from * 1_000_000, EndTimeUnixNano = Start + to * 1_000_000, Status = status ?? SpanStatus.Unset,
        };
        return
        [
            Make(1, 0, "GET /checkout", gateway, 0, 200),
            Make(2, 1, "POST /pay", gateway, 10, 110, new SpanStatus(StatusCode.Error, "card declined")),
            Make(3, 2, "charge", payments, 20, 100),
            Make(4, 1, "GET /stock", gateway, 120, 160),
        ];
    }
}
