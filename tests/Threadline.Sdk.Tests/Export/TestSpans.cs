using System.Diagnostics;

namespace Threadline.Sdk.Tests.Export;

/// <summary>Recorded activities from test-only sources, and the realistic span the benchmarks use.</summary>
internal static class TestSpans
{
    private const string Prefix = "Threadline.Sdk.Tests.Export.";

    // Listeners are process-wide: this one samples only the sources the export tests create.
    private static readonly ActivityListener Listener = CreateListener();

    public static readonly ServiceResource Resource = new(
    [
        new("service.name", "checkout"),
        new("service.version", "2.4.1"),
        new("telemetry.sdk.language", "dotnet"),
        new("host.cpu.count", 8L),
    ]);

    public static ActivitySource Source(string name, string? version = "1.0.0", IEnumerable<KeyValuePair<string, object?>>? tags = null, string? schemaUrl = null)
    {
        GC.KeepAlive(Listener);
        return new ActivitySource(new ActivitySourceOptions(Prefix + name) { Version = version, Tags = tags, TelemetrySchemaUrl = schemaUrl });
    }

    /// <summary>An ended span with a fixed start and duration.</summary>
    public static Activity Ended(ActivitySource source, string name, ActivityKind kind = ActivityKind.Internal, ActivityContext parent = default,
        IEnumerable<KeyValuePair<string, object?>>? tags = null, IEnumerable<ActivityLink>? links = null, Action<Activity>? configure = null)
    {
        var start = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567);
        var activity = source.StartActivity(name, kind, parent, tags, links, start)
            ?? throw new InvalidOperationException("The test listener did not sample the activity.");
        configure?.Invoke(activity);
        activity.SetEndTime(start.UtcDateTime.AddMilliseconds(42.5));
        activity.Stop();
        return activity;
    }

    /// <summary>A typical server span: 11 attributes of mixed types and 2 events.</summary>
    public static Activity Realistic(ActivitySource source, int index)
    {
        var start = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddMilliseconds(index);
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, null, isRemote: true);
        var activity = source.StartActivity("GET /api/orders/{id}", ActivityKind.Server, parent, startTime: start)
            ?? throw new InvalidOperationException("The test listener did not sample the activity.");
        activity.SetTag("http.request.method", "GET");
        activity.SetTag("url.full", "https://shop.example.com/api/orders/12345?expand=items");
        activity.SetTag("http.route", "/api/orders/{id}");
        activity.SetTag("http.response.status_code", 200);
        activity.SetTag("server.address", "shop.example.com");
        activity.SetTag("server.port", 443);
        activity.SetTag("network.protocol.version", "1.1");
        activity.SetTag("client.address", "10.1.2.3");
        activity.SetTag("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        activity.SetTag("thread.id", 17L + index);
        activity.SetTag("cache.hit", index % 2 == 0);
        activity.AddEvent(new ActivityEvent("request.received", start.AddMilliseconds(1), new ActivityTagsCollection { ["message.size"] = 512L }));
        activity.AddEvent(new ActivityEvent("response.sent", start.AddMilliseconds(9), new ActivityTagsCollection { ["message.size"] = 2048L, ["compressed"] = true }));
        activity.SetEndTime(start.UtcDateTime.AddMilliseconds(10));
        activity.Stop();
        return activity;
    }

    private static ActivityListener CreateListener()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith(Prefix, StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
