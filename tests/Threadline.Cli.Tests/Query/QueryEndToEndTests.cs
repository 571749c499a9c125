using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Storage;

namespace Threadline.Cli.Tests.Query;

/// <summary><c>threadline query</c> through a real server and its TraceQL engine.</summary>
public sealed class QueryEndToEndTests
{
    [Fact]
    public async Task A_structural_query_lists_the_trace_it_matches_with_its_counts()
    {
        await using var server = await InProcessServer.StartAsync();
        var start = (ulong)DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() * 1_000_000;
        var matching = Trace(start, paymentFails: true);
        var other = Trace(start + 1_000_000, paymentFails: false);
        await server.Services.GetRequiredService<ITraceStore>().AppendAsync([.. matching, .. other], CancellationToken.None);

        var (exitCode, output, error) = await QueryCommandTests.RunAsync(
            "query", "{ resource.service.name = \"api-gateway\" } >> { resource.service.name = \"payments\" && status = error }", "--since", "1h", "--server", server.ApiEndpoint.ToString());

        Assert.True(exitCode == 0, error);
        var rows = output.Split('\n').Where(line => line.Contains("api-gateway: GET /checkout", StringComparison.Ordinal)).ToList();
        var row = Assert.Single(rows);
        // The id as Tempo writes it (leading zeros stripped), then the root, start, duration, spans, errors, matched.
        Assert.StartsWith(matching[0].TraceId.ToString().TrimStart('0'), row.Trim(), StringComparison.Ordinal);
        Assert.Equal(["100", "ms", "3", "1", "1"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^5..]);
    }

    [Fact]
    public async Task A_metrics_query_shows_one_series_per_group_with_its_largest_value()
    {
        await using var server = await InProcessServer.StartAsync();
        var start = (ulong)DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() * 1_000_000;
        await server.Services.GetRequiredService<ITraceStore>().AppendAsync([.. Trace(start, true), .. Trace(start, false)], CancellationToken.None);

        var (exitCode, output, error) = await QueryCommandTests.RunAsync(
            "query", "{ } | count_over_time() by (resource.service.name)", "--since", "1h", "--server", server.ApiEndpoint.ToString());

        Assert.True(exitCode == 0, error);
        // Both traces start in one step: api-gateway has 4 spans there, payments 2.
        var gateway = Assert.Single(output.Split('\n'), line => line.StartsWith("{resource.service.name=\"api-gateway\"}", StringComparison.Ordinal));
        var payments = Assert.Single(output.Split('\n'), line => line.StartsWith("{resource.service.name=\"payments\"}", StringComparison.Ordinal));
        Assert.Equal("4", gateway.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2]);
        Assert.Equal("2", payments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2]);
    }

    [Fact]
    public async Task A_syntax_error_from_the_engine_is_shown_under_the_query_with_a_caret()
    {
        await using var server = await InProcessServer.StartAsync();

        var (exitCode, output, error) = await QueryCommandTests.RunAsync("query", "{ span.http.route = }", "--server", server.ApiEndpoint.ToString());

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("threadline query: Parameter 'q' is not valid TraceQL: line 1, column 21: expected ", lines[0], StringComparison.Ordinal);
        Assert.Equal("  { span.http.route = }", lines[1]);
        Assert.Equal("                      ^", lines[2]);
    }

    // api-gateway → payments (→ a failed charge when asked), all within 100 ms.
    private static Span[] Trace(ulong start, bool paymentFails)
    {
        var traceId = new TraceId((ulong)Random.Shared.NextInt64(1, long.MaxValue), (ulong)Random.Shared.NextInt64(1, long.MaxValue));
        var gateway = new Resource([new KeyValue("service.name", "api-gateway")]);
        var payments = new Resource([new KeyValue("service.name", "payments")]);
        return
        [
            new Span { TraceId = traceId, SpanId = new SpanId(1), Name = "GET /checkout", Kind = SpanKind.Server, Resource = gateway, StartTimeUnixNano = start, EndTimeUnixNano = start + 100_000_000 },
            new Span { TraceId = traceId, SpanId = new SpanId(2), ParentSpanId = new SpanId(1), Name = "POST /pay", Kind = SpanKind.Client, Resource = gateway, StartTimeUnixNano = start + 10_000_000, EndTimeUnixNano = start + 90_000_000 },
            new Span
            {
                TraceId = traceId, SpanId = new SpanId(3), ParentSpanId = new SpanId(2), Name = "charge", Kind = SpanKind.Server, Resource = payments,
                StartTimeUnixNano = start + 20_000_000, EndTimeUnixNano = start + 80_000_000,
                Status = paymentFails ? new SpanStatus(StatusCode.Error, "card declined") : SpanStatus.Unset,
            },
        ];
    }
}
