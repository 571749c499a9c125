using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Threadline.Core.Model;
using CoreSpanKind = Threadline.Core.Model.SpanKind;
using StatusCode = Threadline.Core.Model.StatusCode;

namespace Threadline.IntegrationTests;

/// <summary>
/// The official OpenTelemetry .NET SDK exports to the real server over each OTLP transport, and
/// every field comes back unchanged through the native API.
/// </summary>
public sealed class OpenTelemetrySdkExportTests
{
    public static TheoryData<string> Protocols => new() { "grpc", "http/protobuf" };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Every_field_exported_by_the_OpenTelemetry_sdk_is_read_back_from_the_api(string protocol)
    {
        await using var server = await TestServer.StartAsync();
        var sourceName = "Threadline.IntegrationTests.Export." + protocol;
        using var source = new ActivitySource(sourceName, "2.5.0");

        using (var provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty()
                .AddService("checkout", serviceVersion: "1.4.2", serviceInstanceId: "instance-7")
                .AddAttributes([new("deployment.environment.name", "test"), new("host.cores", 2L)]))
            .AddSource(sourceName)
            .AddOtlpExporter(options =>
            {
                options.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                options.Endpoint = protocol == "grpc" ? server.OtlpGrpcEndpoint : new Uri(server.OtlpHttpEndpoint, "/v1/traces");
                options.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            var written = WriteCheckoutTrace(source);
            Assert.True(provider.ForceFlush(10_000));

            var stored = await server.Api.GetTraceAsync(written.Root.TraceId);
            Assert.Equal(written.All.Count, stored.Count);
            foreach (var activity in written.All)
            {
                var span = Assert.Single(stored, s => s.SpanId == SpanId.Parse(activity.SpanId.ToHexString()));
                AssertSameSpan(activity, span);
                Assert.Equal("checkout", span.ServiceName);
                Assert.Contains(new KeyValue("service.version", "1.4.2"), span.Resource.Attributes);
                Assert.Contains(new KeyValue("service.instance.id", "instance-7"), span.Resource.Attributes);
                Assert.Contains(new KeyValue("deployment.environment.name", "test"), span.Resource.Attributes);
                Assert.Contains(new KeyValue("host.cores", 2L), span.Resource.Attributes);
                Assert.Equal(sourceName, span.Scope.Name);
                Assert.Equal("2.5.0", span.Scope.Version);
            }
        }
    }

    /// <summary>A root server span, a client child with an error, and a producer with a link.</summary>
    private static (Activity Root, List<Activity> All) WriteCheckoutTrace(ActivitySource source)
    {
        var all = new List<Activity>();
        var linkedContext = new ActivityContext(
            ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"),
            ActivitySpanId.CreateFromString("b7ad6b7169203331"),
            ActivityTraceFlags.Recorded,
            "vendor=opaque",
            isRemote: true);

        var root = source.StartActivity("POST /checkout", ActivityKind.Server)!;
        root.TraceStateString = "congo=t61rcWkgMzE";
        root.SetTag("http.request.method", "POST");
        root.SetTag("http.response.status_code", 200L);
        root.SetTag("retry", false);
        root.SetTag("ratio", 0.75);
        root.SetTag("tags", new[] { "a", "b" });
        root.SetTag("codes", new long[] { 1, 2, 3 });
        root.SetTag("weights", new[] { 1.5, 2.5 });
        root.SetTag("flags", new[] { true, false });
        root.AddEvent(new ActivityEvent("cart loaded", DateTimeOffset.UtcNow, new ActivityTagsCollection { ["items"] = 3L, ["cart.id"] = "c-1" }));
        all.Add(root);

        var client = source.StartActivity("charge card", ActivityKind.Client)!;
        client.SetTag("server.address", "payments.internal");
        client.SetStatus(ActivityStatusCode.Error, "card declined");
        client.AddEvent(new ActivityEvent("exception", DateTimeOffset.UtcNow, new ActivityTagsCollection { ["exception.type"] = "DeclinedException", ["exception.message"] = "card declined" }));
        client.Stop();
        all.Add(client);

        var producer = source.StartActivity(
            "publish order.created",
            ActivityKind.Producer,
            root.Context,
            links: [new ActivityLink(linkedContext, new ActivityTagsCollection { ["link.reason"] = "batch" })])!;
        producer.SetStatus(ActivityStatusCode.Ok);
        producer.Stop();
        all.Add(producer);

        var consumer = source.StartActivity("process order.created", ActivityKind.Consumer, producer.Context)!;
        consumer.Stop();
        all.Add(consumer);

        var internalWork = source.StartActivity("compute totals", ActivityKind.Internal, root.Context)!;
        internalWork.Stop();
        all.Add(internalWork);

        root.Stop();
        return (root, all);
    }

    private static void AssertSameSpan(Activity activity, Span span)
    {
        Assert.Equal(activity.TraceId.ToHexString(), span.TraceId.ToString());
        Assert.Equal(activity.SpanId.ToHexString(), span.SpanId.ToString());
        var expectedParent = activity.ParentSpanId == default ? SpanId.Empty : SpanId.Parse(activity.ParentSpanId.ToHexString());
        Assert.Equal(expectedParent, span.ParentSpanId);
        Assert.Equal(activity.DisplayName, span.Name);
        Assert.Equal(ToCoreKind(activity.Kind), span.Kind);
        Assert.Equal(UnixNanos(activity.StartTimeUtc), span.StartTimeUnixNano);
        Assert.Equal(UnixNanos(activity.StartTimeUtc + activity.Duration), span.EndTimeUnixNano);
        Assert.Equal(activity.TraceStateString ?? string.Empty, span.TraceState);
        Assert.Equal((uint)activity.ActivityTraceFlags, span.Flags & 0xFF);

        var expectedStatus = activity.Status switch
        {
            ActivityStatusCode.Error => new SpanStatus(StatusCode.Error, activity.StatusDescription ?? string.Empty),
            ActivityStatusCode.Ok => new SpanStatus(StatusCode.Ok, string.Empty),
            _ => SpanStatus.Unset,
        };
        Assert.Equal(expectedStatus, span.Status);

        var expectedAttributes = activity.TagObjects.Select(t => new KeyValue(t.Key, ToAttributeValue(t.Value))).ToArray();
        Assert.Equal(expectedAttributes, span.Attributes);

        Assert.Equal(activity.Events.Count(), span.Events.Length);
        foreach (var (expected, actual) in activity.Events.Zip(span.Events))
        {
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(UnixNanos(expected.Timestamp.UtcDateTime), actual.TimeUnixNano);
            Assert.Equal(expected.Tags.Select(t => new KeyValue(t.Key, ToAttributeValue(t.Value))).ToArray(), actual.Attributes);
        }

        Assert.Equal(activity.Links.Count(), span.Links.Length);
        foreach (var (expected, actual) in activity.Links.Zip(span.Links))
        {
            Assert.Equal(expected.Context.TraceId.ToHexString(), actual.TraceId.ToString());
            Assert.Equal(expected.Context.SpanId.ToHexString(), actual.SpanId.ToString());
            Assert.Equal(expected.Context.TraceState ?? string.Empty, actual.TraceState);
            Assert.Equal((expected.Tags ?? []).Select(t => new KeyValue(t.Key, ToAttributeValue(t.Value))).ToArray(), actual.Attributes);
        }
    }

    private static CoreSpanKind ToCoreKind(ActivityKind kind) => kind switch
    {
        ActivityKind.Server => CoreSpanKind.Server,
        ActivityKind.Client => CoreSpanKind.Client,
        ActivityKind.Producer => CoreSpanKind.Producer,
        ActivityKind.Consumer => CoreSpanKind.Consumer,
        _ => CoreSpanKind.Internal,
    };

    private static ulong UnixNanos(DateTime utc) => (ulong)(utc - DateTime.UnixEpoch).Ticks * 100;

    private static AttributeValue ToAttributeValue(object? value) => value switch
    {
        string s => s,
        bool b => b,
        long l => l,
        int i => (long)i,
        double d => d,
        string[] a => AttributeValue.FromArray(a.Select(x => (AttributeValue)x).ToArray()),
        long[] a => AttributeValue.FromArray(a.Select(x => (AttributeValue)x).ToArray()),
        double[] a => AttributeValue.FromArray(a.Select(x => (AttributeValue)x).ToArray()),
        bool[] a => AttributeValue.FromArray(a.Select(x => (AttributeValue)x).ToArray()),
        _ => throw new InvalidOperationException($"The test uses no attribute of type {value?.GetType()}."),
    };
}
