using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Sdk.Tests.Export;

/// <summary>An exporter wired to a fake clock and a recording delay, collecting its diagnostics.</summary>
internal sealed class ExporterHarness : IDisposable
{
    private readonly List<OtlpDiagnostic> _diagnostics = [];

    public ExporterHarness(OtlpExporterOptions options)
    {
        // Deterministic backoff: the tests compare exact delays.
        options.Retry.Jitter = 0;
        options.OnDiagnostic = diagnostic =>
        {
            lock (_diagnostics) _diagnostics.Add(diagnostic);
        };
        Delay = new RecordingRetryDelay(Time);
        Exporter = new OtlpSpanExporter(options, Delay, Time, random: null);
        Exporter.Resource = TestSpans.Resource;
    }

    public ManualTimeProvider Time { get; } = new();

    public RecordingRetryDelay Delay { get; }

    public OtlpSpanExporter Exporter { get; }

    public IReadOnlyList<OtlpDiagnostic> Diagnostics
    {
        get
        {
            lock (_diagnostics) return _diagnostics.ToArray();
        }
    }

    public static ExporterHarness Http(ScriptedOtlpServer server, OtlpExportProtocol protocol = OtlpExportProtocol.HttpProtobuf, Action<OtlpExporterOptions>? configure = null)
    {
        var options = new OtlpExporterOptions { Protocol = protocol, Endpoint = new Uri(server.BaseAddress, "/v1/traces") };
        configure?.Invoke(options);
        return new ExporterHarness(options);
    }

    public static ExporterHarness Grpc(ScriptedOtlpServer server, Action<OtlpExporterOptions>? configure = null)
    {
        var options = new OtlpExporterOptions { Protocol = OtlpExportProtocol.Grpc, Endpoint = server.BaseAddress };
        configure?.Invoke(options);
        return new ExporterHarness(options);
    }

    public Task<ExportResult> ExportAsync(params Activity[] batch) => Exporter.ExportAsync(batch, CancellationToken.None);

    public OtlpDiagnostic Single(OtlpDiagnosticKind kind) => Assert.Single(Diagnostics, d => d.Kind == kind);

    public void Dispose() => Exporter.Dispose();

    /// <summary>A scripted plain-HTTP answer.</summary>
    public static Func<HttpContext, Task> Respond(int status, byte[]? body = null, string? contentType = null, Action<HttpResponse>? configure = null) => async context =>
    {
        context.Response.StatusCode = status;
        if (contentType is not null) context.Response.ContentType = contentType;
        configure?.Invoke(context.Response);
        if (body is not null) await context.Response.Body.WriteAsync(body);
    };
}
