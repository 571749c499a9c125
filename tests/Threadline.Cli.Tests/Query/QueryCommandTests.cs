using System.CommandLine;
using System.Globalization;
using System.Web;

namespace Threadline.Cli.Tests.Query;

/// <summary>
/// <c>threadline query</c> against a server answering Tempo's published JSON: the table, the
/// series, the raw JSON, and the errors (syntax error with a caret, server down).
/// </summary>
public sealed class QueryCommandTests
{
    // Tempo's own example answer to a search (docs/sources/tempo/api_docs/pushing-spans-with-http.md).
    private const string TempoSearchAnswer = """{"traces":[{"traceID":"5b8efff798038103d269b633813fc700","rootServiceName":"my.service","rootTraceName":"I am a span!","startTimeUnixNano":"1694718625557000000","durationMs":10000,"spanSet":{"spans":[{"spanID":"eee19b7ec3c1b100","startTimeUnixNano":"1694718625557000000","durationNanos":"10000000000","attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]}],"matched":1},"spanSets":[{"spans":[{"spanID":"eee19b7ec3c1b100","startTimeUnixNano":"1694718625557000000","durationNanos":"10000000000","attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]}],"matched":1}]}],"metrics":{"inspectedBytes":"292781","completedJobs":1,"totalJobs":1}}""";

    // The trace behind that answer: the root and a failed child.
    private const string TraceAnswer = """{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc700","spanId":"eee19b7ec3c1b100","name":"I am a span!","startTimeUnixNano":"1694718625557000000","endTimeUnixNano":"1694718635557000000"},{"traceId":"5b8efff798038103d269b633813fc700","spanId":"eee19b7ec3c1b101","parentSpanId":"eee19b7ec3c1b100","name":"child","startTimeUnixNano":"1694718625657000000","endTimeUnixNano":"1694718626557000000","status":{"code":2}}]}]}]}""";

    // Tempo's QueryRangeResponse: labels as OTLP key-values, samples with timestampMs as a string.
    private const string MetricsAnswer = """{"series":[{"labels":[{"key":"resource.service.name","value":{"stringValue":"api-gateway"}}],"samples":[{"timestampMs":"1700000000000","value":1},{"timestampMs":"1700000060000","value":3},{"timestampMs":"1700000120000","value":2}],"promLabels":"{resource.service.name=\"api-gateway\"}"}],"metrics":{}}""";

    private const string SyntaxErrorAnswer = """{"error":"Parameter 'q' is not valid TraceQL: line 1, column 21: expected a value, found }","parameter":"q","line":1,"column":21,"expected":"a value"}""";

    [Fact]
    public async Task Search_lists_traces_with_root_start_duration_spans_errors_and_matches()
    {
        await using var server = await StubQueryServer.StartAsync(new Dictionary<string, (int, string)>
        {
            ["/api/v1/traceql"] = (200, TempoSearchAnswer),
            ["/api/v1/traces/5b8efff798038103d269b633813fc700"] = (200, TraceAnswer),
        });

        var (exitCode, output, error) = await RunAsync("query", "{ status = error }", "--server", server.Address.ToString());

        Assert.True(exitCode == 0, error);
        var row = Assert.Single(output.Split('\n'), line => line.Contains("5b8efff798038103d269b633813fc700", StringComparison.Ordinal));
        Assert.Equal(
            ["5b8efff798038103d269b633813fc700", "my.service:", "I", "am", "a", "span!", "2023-09-14", "19:10:25.557Z", "10", "s", "2", "1", "1"],
            row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("1 trace(s)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_asks_for_the_query_over_the_last_since_with_the_limit()
    {
        await using var server = await StubQueryServer.StartAsync(new Dictionary<string, (int, string)> { ["/api/v1/traceql"] = (200, """{"traces":[],"metrics":{"inspectedTraces":12,"inspectedSpans":"340"}}""") });

        var (exitCode, output, _) = await RunAsync("query", "{ span.http.route = \"/cart\" }", "--since", "15m", "--limit", "5", "--server", server.Address.ToString());

        Assert.Equal(0, exitCode);
        Assert.Equal("No traces matched (inspected 12 traces, 340 spans).", output.Trim());
        Assert.True(server.Requests.TryDequeue(out var request));
        var query = HttpUtility.ParseQueryString(new Uri(server.Address, request).Query);
        Assert.Equal("{ span.http.route = \"/cart\" }", query["q"]);
        Assert.Equal("5", query["limit"]);
        var start = ulong.Parse(query["start"]!, CultureInfo.InvariantCulture);
        var end = ulong.Parse(query["end"]!, CultureInfo.InvariantCulture);
        Assert.Equal(15UL * 60 * 1_000_000_000, end - start);
    }

    [Fact]
    public async Task Json_output_is_the_servers_answer_as_it_came()
    {
        await using var server = await StubQueryServer.StartAsync(new Dictionary<string, (int, string)> { ["/api/v1/traceql"] = (200, TempoSearchAnswer) });

        var (exitCode, output, _) = await RunAsync("query", "{ }", "--output", "json", "--server", server.Address.ToString());

        Assert.Equal(0, exitCode);
        Assert.Equal(TempoSearchAnswer, output.TrimEnd('\n'));
    }

    [Fact]
    public async Task Metrics_query_asks_the_metrics_endpoint_and_shows_each_series_over_time()
    {
        await using var server = await StubQueryServer.StartAsync(new Dictionary<string, (int, string)> { ["/api/v1/traceql/metrics"] = (200, MetricsAnswer) });

        var (exitCode, output, error) = await RunAsync("query", "{ } | rate() by (resource.service.name)", "--server", server.Address.ToString());

        Assert.True(exitCode == 0, error);
        Assert.True(server.Requests.TryDequeue(out var request));
        Assert.StartsWith("/api/v1/traceql/metrics?", request, StringComparison.Ordinal);
        var row = Assert.Single(output.Split('\n'), line => line.Contains("api-gateway", StringComparison.Ordinal));
        Assert.Equal(["{resource.service.name=\"api-gateway\"}", "▁█▅", "1", "3", "2"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Syntax_error_prints_the_query_with_a_caret_under_the_column_and_exits_2()
    {
        await using var server = await StubQueryServer.StartAsync(new Dictionary<string, (int, string)> { ["/api/v1/traceql"] = (400, SyntaxErrorAnswer) });

        var (exitCode, output, error) = await RunAsync("query", "{ span.http.route = }", "--server", server.Address.ToString());

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Equal(
            [
                "threadline query: Parameter 'q' is not valid TraceQL: line 1, column 21: expected a value, found }.",
                "  { span.http.route = }",
                "                      ^",
            ],
            error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_server_that_is_not_running_is_named_with_what_to_do()
    {
        var (exitCode, output, error) = await RunAsync("query", "{ }", "--server", "http://127.0.0.1:1");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal("threadline query: cannot reach http://127.0.0.1:1/ (connection refused); is `threadline serve` running there? Start it, or point --server at it.", error.Trim());
    }

    [Theory]
    [InlineData("{ } | rate()", true)]
    [InlineData("{ status = error } | quantile_over_time(duration, .99) by (span.http.route)", true)]
    [InlineData("{ }|count_over_time()", true)]
    [InlineData("{ } | count() > 2", false)]
    [InlineData("{ span.name = \"rate\" }", false)]
    public void Metrics_queries_are_told_from_searches_by_their_last_stage(string query, bool metrics) =>
        Assert.Equal(metrics, QueryCommand.IsMetricsQuery(query));

    [Fact]
    public void Caret_points_into_the_reported_line_of_a_multi_line_query() =>
        Assert.Equal(["    && span.b = }", "                ^"], Cli.Query.QueryErrors.Caret("{ span.a = 1\n  && span.b = }", new Cli.Query.QueryPosition(2, 15)));

    internal static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = await ThreadlineCli.RunAsync(arguments, new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
