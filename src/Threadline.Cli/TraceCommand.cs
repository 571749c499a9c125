using System.CommandLine;
using System.Text;
using System.Text.Json;
using Threadline.Cli.Query;
using Threadline.CommandLine;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Jaeger;
using Threadline.Protocol.Otlp;

namespace Threadline.Cli;

/// <summary>
/// <c>threadline trace &lt;id&gt;</c>: reads one trace from a running server
/// (<c>/api/v1/traces/{id}</c>) and draws it as a waterfall in the terminal, the critical path
/// marked and the trace's health findings after it (<c>/critical-path</c>, <c>/health</c>).
/// </summary>
internal static class TraceCommand
{
    private const string CommandName = ThreadlineCli.ProgramName + " trace";

    public static Command Create()
    {
        var id = new Argument<TraceId>("trace-id")
        {
            Description = "The trace id: up to 32 hex digits (leading zeros may be left out).",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (JaegerIds.TryParseTraceId(text, out var traceId)) return traceId;
                result.AddError($"<trace-id> must be 1 to 32 hex digits, not all zero; got '{text}'");
                return TraceId.Empty;
            },
        };
        var server = ServerOption.Create();
        var command = new Command("trace", "Show one trace from a running server as a waterfall: the span tree, durations on a timeline, services in colour, errors and the critical path marked, then the trace's health findings.")
        {
            id, server,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var traceId = parseResult.GetValue(id);
            using var client = new ServerClient(parseResult.GetValue(server)!);
            var invocation = parseResult.InvocationConfiguration;
            try
            {
                var json = await client.GetAsync($"/api/v1/traces/{traceId}", cancellationToken).ConfigureAwait(false);
                var spans = OtlpJsonDecoder.DecodeExportRequest(Encoding.UTF8.GetBytes(json), DecodeLimits.Default).Spans;
                if (spans.Count == 0) throw NotFound(traceId, client.Server);
                var analyses = await TryAnalysesAsync(client, traceId, invocation.Error, cancellationToken).ConfigureAwait(false);
                TraceWaterfall.Write(Terminal.Create(invocation.Output), spans, analyses);
                return ExitCodes.Success;
            }
            catch (ServerCallException failure)
            {
                var reported = failure.Failure == ServerFailure.NotFound ? NotFound(traceId, client.Server) : failure;
                return await QueryErrors.ReportAsync(invocation.Error, CommandName, reported).ConfigureAwait(false);
            }
            catch (ProtocolException ex)
            {
                await invocation.Error.WriteLineAsync($"{CommandName}: the server's answer is not a trace: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>
    /// The critical path and health findings; without them (a server older than these routes,
    /// an answer that is not the documented JSON) the waterfall is still shown, with a note why.
    /// </summary>
    private static async Task<TraceAnalyses?> TryAnalysesAsync(ServerClient client, TraceId traceId, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await TraceAnalyses.FetchAsync(client, traceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ServerCallException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await error.WriteLineAsync($"{CommandName}: critical path and health are not shown: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static ServerCallException NotFound(TraceId traceId, Uri server) =>
        new(ServerFailure.NotFound, 404, $"trace {traceId} was not found on {server} (not received yet, or older than the store keeps)", null);
}
