using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Threadline.Cli.Query;
using Threadline.CommandLine;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Jaeger;
using Threadline.Protocol.Otlp;
using Threadline.Query.Parameters;

namespace Threadline.Cli;

/// <summary>
/// <c>threadline query '&lt;TraceQL&gt;'</c>: runs a TraceQL search on a running server
/// (<c>/api/v1/traceql</c>) and lists the traces as a table, or a metrics query
/// (<c>/api/v1/traceql/metrics</c>) and shows its series; <c>--output json</c> prints the
/// server's JSON as it came.
/// </summary>
internal static partial class QueryCommand
{
    private const string CommandName = ThreadlineCli.ProgramName + " query";
    private const string TableOutput = "table";
    private const string JsonOutput = "json";
    private const int MaxLimit = 10_000;
    private const ulong DefaultSinceNanos = 3_600_000_000_000;

    // Traces read for their span and error counts when the search answer lacks serviceStats; rows past it show "-".
    private const int MaxTracesCounted = 100;

    public static Command Create()
    {
        var query = new Argument<string>("traceql")
        {
            Description = "The TraceQL query, quoted, e.g. '{ status = error }' or '{ } | rate() by (resource.service.name)'.",
        };
        var since = new Option<ulong>("--since")
        {
            Description = "How far back to look, up to now: a duration such as 15m, 1h or 24h (default 1h).",
            HelpName = "duration",
            DefaultValueFactory = _ => DefaultSinceNanos,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (DurationParser.TryParse("--since", text, out var nanos, out _) && nanos > 0) return nanos;
                result.AddError($"--since must be a positive duration such as 15m, 1h or 24h; got '{text}'");
                return 0;
            },
        };
        var limit = new Option<int>("--limit") { Description = "Most traces to list.", HelpName = "count", DefaultValueFactory = _ => 20 };
        limit.Require(value => value is >= 1 and <= MaxLimit, $"between 1 and {MaxLimit}");
        var output = new Option<string>("--output") { Description = "table (default) or json (the server's answer as it came).", HelpName = "format", DefaultValueFactory = _ => TableOutput };
        output.AcceptOnlyFromAmong(TableOutput, JsonOutput);
        var server = ServerOption.Create();

        var command = new Command("query", "Run a TraceQL query on a running server: matching traces as a table, or a metrics query's series.")
        {
            query, since, limit, output, server,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(query)!;
            var request = new QueryRequest(text, parseResult.GetValue(since), parseResult.GetValue(limit), parseResult.GetValue(output) == JsonOutput);
            using var client = new ServerClient(parseResult.GetValue(server)!);
            var invocation = parseResult.InvocationConfiguration;
            try
            {
                return await RunAsync(client, request, invocation.Output, cancellationToken).ConfigureAwait(false);
            }
            catch (ServerCallException failure)
            {
                return await QueryErrors.ReportAsync(invocation.Error, CommandName, failure, text).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FormatException or ProtocolException)
            {
                await invocation.Error.WriteLineAsync($"{CommandName}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private sealed record QueryRequest(string TraceQL, ulong SinceNanos, int Limit, bool Json);

    private static async Task<int> RunAsync(ServerClient client, QueryRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        var end = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var start = end > request.SinceNanos ? end - request.SinceNanos : 0;
        var range = string.Create(CultureInfo.InvariantCulture, $"q={Uri.EscapeDataString(request.TraceQL)}&start={start}&end={end}");
        var metrics = IsMetricsQuery(request.TraceQL);
        var body = await client.GetAsync(metrics
            ? "/api/v1/traceql/metrics?" + range
            : string.Create(CultureInfo.InvariantCulture, $"/api/v1/traceql?{range}&limit={request.Limit}"), cancellationToken).ConfigureAwait(false);

        if (request.Json)
        {
            await output.WriteLineAsync(body).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        var console = Terminal.Create(output);
        if (metrics)
        {
            MetricsTable.Write(console, MetricsResults.Parse(body));
            return ExitCodes.Success;
        }
        var results = SearchResults.Parse(body);
        results = results with { Traces = await WithCountsAsync(client, results.Traces, cancellationToken).ConfigureAwait(false) };
        SearchTable.Write(console, results);
        return ExitCodes.Success;
    }

    /// <summary>Whether the query ends in a metrics stage (<c>| rate()</c>, <c>| quantile_over_time(…)</c>…), answered as series.</summary>
    internal static bool IsMetricsQuery(string traceQL) => MetricsStage().IsMatch(traceQL);

    [GeneratedRegex(@"\|\s*(rate|count_over_time|sum_over_time|min_over_time|max_over_time|avg_over_time|quantile_over_time|histogram_over_time|compare)\s*\(")]
    private static partial Regex MetricsStage();

    // A search hit says how many spans matched, not how many the trace has or how many failed;
    // unless the server sent Tempo's serviceStats, the trace itself is read for those (for the
    // first MaxTracesCounted rows, so that a large --limit stays one search and a bounded tail).
    private static async Task<IReadOnlyList<SearchHit>> WithCountsAsync(ServerClient client, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken)
    {
        var counted = new List<SearchHit>(hits.Count);
        foreach (var hit in hits)
        {
            if (hit.SpanCount is not null || counted.Count >= MaxTracesCounted || !JaegerIds.TryParseTraceId(hit.TraceId, out var traceId))
            {
                counted.Add(hit);
                continue;
            }
            try
            {
                var json = await client.GetAsync($"/api/v1/traces/{traceId}", cancellationToken).ConfigureAwait(false);
                var spans = OtlpJsonDecoder.DecodeExportRequest(System.Text.Encoding.UTF8.GetBytes(json), DecodeLimits.Default).Spans;
                counted.Add(hit with { SpanCount = spans.Count, ErrorCount = spans.Count(s => s.Status.Code == StatusCode.Error) });
            }
            catch (ServerCallException failure) when (failure.Failure == ServerFailure.NotFound)
            {
                // Evicted since the search: the row stays, without counts.
                counted.Add(hit);
            }
        }
        return counted;
    }
}
