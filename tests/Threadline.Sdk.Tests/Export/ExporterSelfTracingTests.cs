using System.Diagnostics;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Sdk.Tests.Export;

/// <summary>
/// The SDK traces HttpClient, and the OTLP exporter sends over HttpClient: the exporter's own calls
/// must not become spans, or every export would produce a span for the next one, forever.
/// </summary>
public sealed class ExporterSelfTracingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Otlp_export_calls_are_not_traced_even_when_HttpClient_is(bool grpc)
    {
        await using var collector = await ScriptedOtlpServer.StartAsync(grpc);
        using var source = new ActivitySource("Threadline.Sdk.Tests.ExporterSelfTracing." + grpc);
        var captured = new List<Activity>();

        await using (var session = ThreadlineTracing.Start(
            o =>
            {
                // HttpClient only: the collector here is a Kestrel in this process, and tracing its server
                // spans would make every export end a span for the next one (a collector runs elsewhere).
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(source.Name, TracingOptions.HttpClientSource);
                o.UseInMemoryExporter(captured);
                o.UseOtlpExporter(otlp =>
                {
                    otlp.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    otlp.Endpoint = grpc ? collector.BaseAddress : new Uri(collector.BaseAddress, "/v1/traces");
                });
            },
            _ => null))
        {
            source.StartActivity("user work")?.Stop();
            // Bounded, so that a regression (exports feeding themselves) fails instead of hanging.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.True(await session.ForceFlushAsync(bound.Token));
            // A second flush would carry the first export's HttpClient span, if there were one.
            Assert.True(await session.ForceFlushAsync(bound.Token));
        }

        Assert.NotEmpty(collector.Requests);
        var port = collector.BaseAddress.Port;
        lock (captured)
        {
            Assert.DoesNotContain(captured, a =>
                a.Source.Name == TracingOptions.HttpClientSource
                && a.GetTagItem("server.port") is int p && p == port);
        }
    }

    [Fact]
    public async Task Flush_returns_once_earlier_spans_are_exported_even_when_every_export_ends_another_span()
    {
        // What an OTLP receiver traced in the exporting process does: each export ends one more span.
        using var source = TestTracing.UniqueSource();
        var exporter = new SpanPerExportExporter(source);
        using var session = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(source.Name);
                o.AddExporter(exporter);
            },
            _ => null);

        source.StartActivity("user work")?.Stop();
        using var bound = new CancellationTokenSource(Waiting.Patience);
        Assert.True(await session.ForceFlushAsync(bound.Token));
        Assert.Contains("user work", exporter.ExportedNames);
    }

    [Fact]
    public void No_span_starts_inside_a_suppression_scope_and_spans_start_again_after_it()
    {
        using var source = new ActivitySource("Threadline.Sdk.Tests.Suppression");
        using var session = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(source.Name);
                o.UseInMemoryExporter(new List<Activity>());
            },
            _ => null);

        using (SuppressInstrumentation.Begin())
        {
            Assert.True(SuppressInstrumentation.IsActive);
            Assert.Null(source.StartActivity("suppressed"));
            using (SuppressInstrumentation.Begin())
            {
                Assert.Null(source.StartActivity("nested"));
            }
            Assert.Null(source.StartActivity("still suppressed"));
        }

        Assert.False(SuppressInstrumentation.IsActive);
        using var traced = source.StartActivity("traced");
        Assert.NotNull(traced);
    }

    /// <summary>Ends a span of the traced source inside every export, as a traced in-process receiver would.</summary>
    private sealed class SpanPerExportExporter(ActivitySource source) : SpanExporter
    {
        private readonly List<string> _exported = [];

        public IReadOnlyList<string> ExportedNames
        {
            get
            {
                lock (_exported) return [.. _exported];
            }
        }

        public override Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
        {
            lock (_exported)
            {
                foreach (var span in batch) _exported.Add(span.DisplayName);
            }
            source.StartActivity("receive spans")?.Stop();
            return Task.FromResult(ExportResult.Success);
        }
    }
}
