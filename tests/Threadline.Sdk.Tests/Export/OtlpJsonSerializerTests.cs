using System.Diagnostics;
using System.Text.Json;
using Threadline.Sdk.Export.Otlp.Serialization;

namespace Threadline.Sdk.Tests.Export;

public sealed class OtlpJsonSerializerTests
{
    private static JsonElement Serialize(IReadOnlyList<Activity> batch, ServiceResource? resource = null)
    {
        using var buffer = new PayloadBuffer(256);
        using var serializer = new OtlpJsonSerializer();
        serializer.Serialize(buffer, resource ?? TestSpans.Resource, batch);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Span_is_written_with_the_otlp_json_mapping()
    {
        using var source = TestSpans.Source("json", "2.0", [new("scope.attr", true)], "https://opentelemetry.io/schemas/1.26.0");
        var parent = new ActivityContext(ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"), ActivitySpanId.CreateFromString("00f067aa0ba902b7"), ActivityTraceFlags.Recorded, "a=b", isRemote: true);
        var linkContext = new ActivityContext(ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), ActivitySpanId.CreateFromString("b7ad6b7169203331"), ActivityTraceFlags.None, "l=1");
        var activity = TestSpans.Ended(source, "publish", ActivityKind.Producer, parent,
            tags: [new("count", 9_007_199_254_740_993L), new("ratio", 0.25), new("ok", true), new("name", "x"), new("list", new[] { 1L, 2L }), new("raw", new byte[] { 1, 2 }), new("nan", double.NaN)],
            links: [new ActivityLink(linkContext, new ActivityTagsCollection { ["k"] = "v" })],
            configure: a =>
            {
                a.AddEvent(new ActivityEvent("sent", new DateTimeOffset(2025, 3, 4, 5, 6, 8, TimeSpan.Zero), new ActivityTagsCollection { ["bytes"] = 10 }));
                a.SetStatus(ActivityStatusCode.Error, "broker down");
                var dropped = DroppedCounts.GetOrCreate(a);
                dropped.Attributes = 2;
                dropped.Events = 3;
                dropped.Links = 4;
                dropped.EventAttributes = [5];
                dropped.LinkAttributes = [6];
            });

        var root = Serialize([activity]);

        var resourceSpans = root.GetProperty("resourceSpans")[0];
        var resourceAttributes = resourceSpans.GetProperty("resource").GetProperty("attributes");
        Assert.Equal("service.name", resourceAttributes[0].GetProperty("key").GetString());
        Assert.Equal("checkout", resourceAttributes[0].GetProperty("value").GetProperty("stringValue").GetString());
        Assert.Equal("8", resourceAttributes[3].GetProperty("value").GetProperty("intValue").GetString());

        var scopeSpans = resourceSpans.GetProperty("scopeSpans")[0];
        Assert.Equal(source.Name, scopeSpans.GetProperty("scope").GetProperty("name").GetString());
        Assert.Equal("2.0", scopeSpans.GetProperty("scope").GetProperty("version").GetString());
        Assert.True(scopeSpans.GetProperty("scope").GetProperty("attributes")[0].GetProperty("value").GetProperty("boolValue").GetBoolean());
        Assert.Equal("https://opentelemetry.io/schemas/1.26.0", scopeSpans.GetProperty("schemaUrl").GetString());

        var span = scopeSpans.GetProperty("spans")[0];
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", span.GetProperty("traceId").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), span.GetProperty("spanId").GetString());
        Assert.Equal("00f067aa0ba902b7", span.GetProperty("parentSpanId").GetString());
        Assert.Equal("a=b", span.GetProperty("traceState").GetString());
        Assert.Equal(0x301, span.GetProperty("flags").GetInt32());
        Assert.Equal("publish", span.GetProperty("name").GetString());
        Assert.Equal(4, span.GetProperty("kind").GetInt32());
        var start = ReferenceOtlp.UnixNanos(activity.StartTimeUtc);
        Assert.Equal(start.ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal((start + 42_500_000UL).ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetProperty("endTimeUnixNano").GetString());

        var attributes = span.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value"));
        Assert.Equal("9007199254740993", attributes["count"].GetProperty("intValue").GetString());
        Assert.Equal(0.25, attributes["ratio"].GetProperty("doubleValue").GetDouble());
        Assert.True(attributes["ok"].GetProperty("boolValue").GetBoolean());
        Assert.Equal("x", attributes["name"].GetProperty("stringValue").GetString());
        Assert.Equal("2", attributes["list"].GetProperty("arrayValue").GetProperty("values")[1].GetProperty("intValue").GetString());
        Assert.Equal("AQI=", attributes["raw"].GetProperty("bytesValue").GetString());
        Assert.Equal("NaN", attributes["nan"].GetProperty("doubleValue").GetString());
        Assert.Equal(2, span.GetProperty("droppedAttributesCount").GetInt32());

        var spanEvent = span.GetProperty("events")[0];
        Assert.Equal("sent", spanEvent.GetProperty("name").GetString());
        Assert.Equal(ReferenceOtlp.UnixNanos(new DateTime(2025, 3, 4, 5, 6, 8, DateTimeKind.Utc)).ToString(System.Globalization.CultureInfo.InvariantCulture), spanEvent.GetProperty("timeUnixNano").GetString());
        Assert.Equal("10", spanEvent.GetProperty("attributes")[0].GetProperty("value").GetProperty("intValue").GetString());
        Assert.Equal(5, spanEvent.GetProperty("droppedAttributesCount").GetInt32());
        Assert.Equal(3, span.GetProperty("droppedEventsCount").GetInt32());

        var link = span.GetProperty("links")[0];
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", link.GetProperty("traceId").GetString());
        Assert.Equal("b7ad6b7169203331", link.GetProperty("spanId").GetString());
        Assert.Equal("l=1", link.GetProperty("traceState").GetString());
        Assert.Equal("v", link.GetProperty("attributes")[0].GetProperty("value").GetProperty("stringValue").GetString());
        Assert.Equal(6, link.GetProperty("droppedAttributesCount").GetInt32());
        Assert.Equal(0x100, link.GetProperty("flags").GetInt32());
        Assert.Equal(4, span.GetProperty("droppedLinksCount").GetInt32());

        Assert.Equal(2, span.GetProperty("status").GetProperty("code").GetInt32());
        Assert.Equal("broker down", span.GetProperty("status").GetProperty("message").GetString());
    }

    [Fact]
    public void Root_span_omits_parent_and_unset_status()
    {
        using var source = TestSpans.Source("json.root");
        var span = Serialize([TestSpans.Ended(source, "root")]).GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans")[0];

        Assert.False(span.TryGetProperty("parentSpanId", out _));
        Assert.False(span.TryGetProperty("status", out _));
        Assert.False(span.TryGetProperty("traceState", out _));
        Assert.False(span.TryGetProperty("droppedAttributesCount", out _));
    }

    [Fact]
    public void Text_is_escaped_only_where_json_requires()
    {
        using var source = TestSpans.Source("json.text");
        var activity = TestSpans.Ended(source, "quote \" and <tag> & ünïcødé", configure: a => a.SetTag("line", "a\nb"));
        using var buffer = new PayloadBuffer(256);
        using var serializer = new OtlpJsonSerializer();
        serializer.Serialize(buffer, ServiceResource.Empty, [activity]);
        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.Contains("<tag> & ünïcødé", text, StringComparison.Ordinal);
        var span = JsonDocument.Parse(text).RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans")[0];
        Assert.Equal("quote \" and <tag> & ünïcødé", span.GetProperty("name").GetString());
        Assert.Equal("a\nb", span.GetProperty("attributes")[0].GetProperty("value").GetProperty("stringValue").GetString());
    }

    [Fact]
    public void Scopes_are_grouped_like_the_protobuf_writer()
    {
        using var a = TestSpans.Source("json.group.a");
        using var b = TestSpans.Source("json.group.b");
        var scopes = Serialize([TestSpans.Ended(a, "1"), TestSpans.Ended(b, "2"), TestSpans.Ended(a, "3")]).GetProperty("resourceSpans")[0].GetProperty("scopeSpans");

        Assert.Equal(2, scopes.GetArrayLength());
        Assert.Equal(["1", "3"], scopes[0].GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public void Reused_serializer_does_not_allocate_in_steady_state()
    {
        using var source = TestSpans.Source("json.steady", "1.2.3");
        var batch = Enumerable.Range(0, 512).Select(i => TestSpans.Realistic(source, i)).ToList();
        using var serializer = new OtlpJsonSerializer();
        using var buffer = new PayloadBuffer(1024);
        serializer.Serialize(buffer, TestSpans.Resource, batch);

        buffer.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        serializer.Serialize(buffer, TestSpans.Resource, batch);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
