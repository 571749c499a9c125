using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Core.Analysis.Naming;
using Threadline.Query.Analysis;
using Threadline.Query.Parameters;
using Threadline.Storage.Aggregates;

namespace Threadline.Server.Api.Analysis;

/// <summary>
/// The analyses read from the ingest-time aggregates (docs/api.md): <c>GET /api/v1/service-graph</c>,
/// <c>/api/v1/services/{service}/red</c>, <c>/api/v1/services/{service}/operations/red</c> and
/// <c>/api/v1/naming-health</c>. Parameters are parsed here, the work is done by the Query services.
/// </summary>
internal sealed class AggregateAnalysisEndpoints
{
    /// <summary>Operations listed by default, and at most, by <c>operations/red</c>.</summary>
    public const int DefaultOperations = 100;
    public const int MaxOperations = 1_000;

    // Service names are span data, but one longer than this cannot have come through the span limits.
    private const int MaxServiceLength = 1_024;

    private readonly ServiceGraphService _graph;
    private readonly RedService _red;
    private readonly NamingHealthDetector _naming;
    private readonly TimeProvider _time;

    public AggregateAnalysisEndpoints(ServiceGraphService graph, RedService red, NamingHealthDetector naming, TimeProvider time)
    {
        _graph = graph;
        _red = red;
        _naming = naming;
        _time = time;
    }

    /// <summary><c>GET /api/v1/service-graph?start&amp;end</c>.</summary>
    public async Task ServiceGraphAsync(HttpContext context)
    {
        var parameters = new QueryStringParameters(context.Request.Query);
        if (!AnalysisRange.TryParse(parameters, _time.GetUtcNow(), withStep: false, out var range, out var error))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var graph = await _graph.GetAsync(range, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer => AnalysisJson.WriteServiceGraph(writer, graph), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/services/{service}/red?start&amp;end&amp;step</c>.</summary>
    public async Task ServiceRedAsync(HttpContext context)
    {
        if (await ServiceAndRangeAsync(context) is not var (service, range)) return;
        var series = await _red.GetServiceRedAsync(service, range, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("service", service);
            writer.WriteNumber("stepSeconds", range.StepMinutes * 60L);
            AnalysisJson.WriteSeries(writer, series);
            writer.WriteEndObject();
        }, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/services/{service}/operations/red?start&amp;end&amp;step&amp;limit</c>.</summary>
    public async Task OperationsRedAsync(HttpContext context)
    {
        var limit = DefaultOperations;
        if (!SingleValue.TryGet(new QueryStringParameters(context.Request.Query), "limit", out var limitText, out var error)
            || (limitText is not null && !LimitParser.TryParse("limit", limitText, 1, MaxOperations, DefaultOperations, out limit, out error)))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (await ServiceAndRangeAsync(context) is not var (service, range)) return;
        var operations = await _red.GetOperationsRedAsync(service, range, limit, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("service", service);
            writer.WriteNumber("stepSeconds", range.StepMinutes * 60L);
            writer.WriteBoolean("truncated", operations.Truncated);
            writer.WriteStartArray("operations");
            foreach (var operation in operations.Operations)
            {
                writer.WriteStartObject();
                writer.WriteString("name", operation.Name);
                writer.WriteString("kind", SpanEnumNames.Kind(operation.Kind));
                AnalysisJson.WriteSeries(writer, operation.Series);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/naming-health?service=</c>.</summary>
    public async Task NamingHealthAsync(HttpContext context)
    {
        if (!SingleValue.TryGet(new QueryStringParameters(context.Request.Query), "service", out var service, out var error)
            || (service is not null && !ValidService(service, out error)))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var report = _naming.Report(service);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer => AnalysisJson.WriteNamingHealth(writer, report), context.RequestAborted).ConfigureAwait(false);
    }

    // The route's service and the range, or null after answering 400.
    private async Task<(string Service, AnalysisRange Range)?> ServiceAndRangeAsync(HttpContext context)
    {
        var service = context.Request.RouteValues["service"] as string ?? string.Empty;
        ParameterError error;
        if (ValidService(service, out error)
            && AnalysisRange.TryParse(new QueryStringParameters(context.Request.Query), _time.GetUtcNow(), withStep: true, out var range, out error))
            return (service, range);
        await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
        return null;
    }

    private static bool ValidService(string service, out ParameterError error)
    {
        error = default;
        if (service.Length > MaxServiceLength)
            error = ParameterError.Create("service", string.Create(CultureInfo.InvariantCulture, $"is {service.Length} characters long; a service name has at most {MaxServiceLength}"));
        else if (!IsWellFormed(service))
            error = ParameterError.Create("service", $"is '{ParameterError.Echo(service)}', which is not valid Unicode text");
        return error == default;
    }

    private static bool IsWellFormed(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var used) != System.Buffers.OperationStatus.Done) return false;
            rest = rest[used..];
        }
        return true;
    }
}
