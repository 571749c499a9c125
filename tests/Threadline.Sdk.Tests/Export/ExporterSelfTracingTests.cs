using System.Diagnostics;
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
                o.IncludeFrameworkSources = true;
                o.InstallPropagator = false;
                o.AddSource(source.Name);
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
}
