using System.Diagnostics;
using Google.Protobuf;
using Threadline.TestSupport.Otlp;
using Threadline.Sdk.Export.Otlp.Serialization;

namespace Threadline.Sdk.Tests.Export;

public sealed class OtlpProtobufSerializerTests
{
    private static readonly ActivityTraceId ParentTraceId = ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736");
    private static readonly ActivitySpanId ParentSpanId = ActivitySpanId.CreateFromString("00f067aa0ba902b7");

    private static byte[] Serialize(IReadOnlyList<Activity> batch, ServiceResource? resource = null)
    {
        using var buffer = new PayloadBuffer(256);
        new OtlpProtobufSerializer().Serialize(buffer, resource ?? TestSpans.Resource, batch);
        return buffer.WrittenSpan.ToArray();
    }

    private static void AssertSameAsGenerated(IReadOnlyList<Activity> batch, ServiceResource? resource = null)
    {
        resource ??= TestSpans.Resource;
        var expected = ReferenceOtlp.Build(resource, batch);
        var actual = Serialize(batch, resource);

        var expectedBytes = expected.ToByteArray();
        if (!expectedBytes.AsSpan().SequenceEqual(actual))
        {
            // A field-by-field difference reads better than a byte offset.
            Assert.Equal(expected, ExportTraceServiceRequest.Parser.ParseFrom(actual));
            Assert.Equal(expectedBytes, actual);
        }
    }

    [Fact]
    public void Every_span_field_is_written_with_the_otlp_field_numbers()
    {
        using var source = TestSpans.Source("fields", "3.1.4", [new("scope.attr", "s")], "https://opentelemetry.io/schemas/1.26.0");
        var linkContext = new ActivityContext(
            ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), ActivitySpanId.CreateFromString("b7ad6b7169203331"),
            ActivityTraceFlags.Recorded, "vendor=link", isRemote: true);
        var parent = new ActivityContext(ParentTraceId, ParentSpanId, ActivityTraceFlags.Recorded, "congo=t61rcWkgMzE", isRemote: true);
        var activity = TestSpans.Ended(source, "GET /orders", ActivityKind.Client, parent,
            tags: [new("http.method", "GET"), new("retries", 3)],
            links: [new ActivityLink(linkContext, new ActivityTagsCollection { ["link.kind"] = "follows" })],
            configure: a =>
            {
                a.DisplayName = "GET /orders (display)";
                a.AddEvent(new ActivityEvent("cache.miss", new DateTimeOffset(2025, 3, 4, 5, 6, 7, 500, TimeSpan.Zero), new ActivityTagsCollection { ["key"] = "order:1" }));
                a.SetStatus(ActivityStatusCode.Error, "upstream timed out");
                var dropped = DroppedCounts.GetOrCreate(a);
                dropped.Attributes = 4;
                dropped.Events = 5;
                dropped.Links = 6;
                dropped.EventAttributes = [7];
                dropped.LinkAttributes = [8];
            });

        var request = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([activity]));

        var resourceSpans = Assert.Single(request.ResourceSpans);
        Assert.Equal(["service.name", "service.version", "telemetry.sdk.language", "host.cpu.count"], resourceSpans.Resource.Attributes.Select(a => a.Key));
        Assert.Equal("checkout", resourceSpans.Resource.Attributes[0].Value.StringValue);
        Assert.Equal(8, resourceSpans.Resource.Attributes[3].Value.IntValue);

        var scopeSpans = Assert.Single(resourceSpans.ScopeSpans);
        Assert.Equal(source.Name, scopeSpans.Scope.Name);
        Assert.Equal("3.1.4", scopeSpans.Scope.Version);
        Assert.Equal("s", Assert.Single(scopeSpans.Scope.Attributes).Value.StringValue);
        Assert.Equal("https://opentelemetry.io/schemas/1.26.0", scopeSpans.SchemaUrl);

        var span = Assert.Single(scopeSpans.Spans);
        Assert.Equal(Convert.FromHexString("4bf92f3577b34da6a3ce929d0e0e4736"), span.TraceId.ToByteArray());
        Assert.Equal(Convert.FromHexString(activity.SpanId.ToHexString()), span.SpanId.ToByteArray());
        Assert.Equal(Convert.FromHexString("00f067aa0ba902b7"), span.ParentSpanId.ToByteArray());
        Assert.Equal("congo=t61rcWkgMzE", span.TraceState);
        Assert.Equal("GET /orders (display)", span.Name);
        Assert.Equal(Span.Types.SpanKind.Client, span.Kind);
        var startNanos = ReferenceOtlp.UnixNanos(new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567));
        Assert.Equal(startNanos, span.StartTimeUnixNano);
        Assert.Equal(startNanos + 42_500_000UL, span.EndTimeUnixNano);
        Assert.Equal(0x01u | 0x100u | 0x200u, span.Flags);

        Assert.Equal(2, span.Attributes.Count);
        Assert.Equal("http.method", span.Attributes[0].Key);
        Assert.Equal("GET", span.Attributes[0].Value.StringValue);
        Assert.Equal(3, span.Attributes[1].Value.IntValue);
        Assert.Equal(4u, span.DroppedAttributesCount);

        var spanEvent = Assert.Single(span.Events);
        Assert.Equal("cache.miss", spanEvent.Name);
        Assert.Equal(ReferenceOtlp.UnixNanos(new DateTime(2025, 3, 4, 5, 6, 7, 500, DateTimeKind.Utc)), spanEvent.TimeUnixNano);
        Assert.Equal("order:1", Assert.Single(spanEvent.Attributes).Value.StringValue);
        Assert.Equal(7u, spanEvent.DroppedAttributesCount);
        Assert.Equal(5u, span.DroppedEventsCount);

        var link = Assert.Single(span.Links);
        Assert.Equal(Convert.FromHexString("0af7651916cd43dd8448eb211c80319c"), link.TraceId.ToByteArray());
        Assert.Equal(Convert.FromHexString("b7ad6b7169203331"), link.SpanId.ToByteArray());
        Assert.Equal("vendor=link", link.TraceState);
        Assert.Equal("follows", Assert.Single(link.Attributes).Value.StringValue);
        Assert.Equal(8u, link.DroppedAttributesCount);
        Assert.Equal(0x01u | 0x100u | 0x200u, link.Flags);
        Assert.Equal(6u, span.DroppedLinksCount);

        Assert.Equal(Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("upstream timed out", span.Status.Message);
    }

    [Theory]
    [InlineData(ActivityKind.Internal, Span.Types.SpanKind.Internal)]
    [InlineData(ActivityKind.Server, Span.Types.SpanKind.Server)]
    [InlineData(ActivityKind.Client, Span.Types.SpanKind.Client)]
    [InlineData(ActivityKind.Producer, Span.Types.SpanKind.Producer)]
    [InlineData(ActivityKind.Consumer, Span.Types.SpanKind.Consumer)]
    public void Activity_kind_maps_to_otlp_span_kind(ActivityKind kind, Span.Types.SpanKind expected)
    {
        using var source = TestSpans.Source("kinds");
        var request = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([TestSpans.Ended(source, "op", kind)]));

        Assert.Equal(expected, request.ResourceSpans[0].ScopeSpans[0].Spans[0].Kind);
    }

    [Fact]
    public void Root_span_has_no_parent_and_flags_say_the_parent_is_known_local()
    {
        using var source = TestSpans.Source("root");
        var span = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([TestSpans.Ended(source, "root")])).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.True(span.ParentSpanId.IsEmpty);
        Assert.Equal(0x100u | 0x01u, span.Flags);
        Assert.Null(span.Status);
    }

    [Fact]
    public void Local_parent_is_known_not_remote()
    {
        using var source = TestSpans.Source("local-parent");
        var parent = new ActivityContext(ParentTraceId, ParentSpanId, ActivityTraceFlags.Recorded, null, isRemote: false);
        var span = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([TestSpans.Ended(source, "child", parent: parent)])).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal(0x101u, span.Flags);
        Assert.False(span.ParentSpanId.IsEmpty);
    }

    [Fact]
    public void Ok_status_drops_the_description()
    {
        using var source = TestSpans.Source("status-ok");
        var activity = TestSpans.Ended(source, "op", configure: a => a.SetStatus(ActivityStatusCode.Ok, "ignored per spec"));
        var status = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([activity])).ResourceSpans[0].ScopeSpans[0].Spans[0].Status;

        Assert.Equal(Status.Types.StatusCode.Ok, status.Code);
        Assert.Equal("", status.Message);
    }

    [Fact]
    public void Attribute_values_of_every_supported_type_match_the_generated_serializer()
    {
        using var source = TestSpans.Source("types");
        var activity = TestSpans.Ended(source, "types", configure: a =>
        {
            a.SetTag("string", "text");
            a.SetTag("empty", "");
            a.SetTag("bool.true", true);
            a.SetTag("bool.false", false);
            a.SetTag("int", -42);
            a.SetTag("long", long.MinValue);
            a.SetTag("long.max", long.MaxValue);
            a.SetTag("zero", 0);
            a.SetTag("short", (short)-7);
            a.SetTag("byte", (byte)200);
            a.SetTag("sbyte", (sbyte)-5);
            a.SetTag("ushort", (ushort)65000);
            a.SetTag("uint", uint.MaxValue);
            a.SetTag("ulong.small", 12UL);
            a.SetTag("ulong.big", ulong.MaxValue);
            a.SetTag("double", 3.25);
            a.SetTag("double.zero", 0.0);
            a.SetTag("double.nan", double.NaN);
            a.SetTag("float", 1.5f);
            a.SetTag("decimal", 12.5m);
            a.SetTag("guid", new Guid("2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d"));
            a.SetTag("bytes", new byte[] { 1, 2, 255 });
            a.SetTag("strings", new[] { "a", null, "c" });
            a.SetTag("longs", new[] { 1L, -2L });
            a.SetTag("ints", new[] { 3, 4 });
            a.SetTag("doubles", new[] { 0.5, -1.5 });
            a.SetTag("floats", new[] { 2.5f });
            a.SetTag("bools", new[] { true, false });
            a.SetTag("mixed", new object?[] { "x", 1, null, true, new[] { "nested" } });
            a.SetTag("empty.array", Array.Empty<string>());
            a.SetTag("shorts", new short[] { 1, 2 });
            a.AddTag("null", null);
        });

        AssertSameAsGenerated([activity]);
        var attributes = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([activity])).ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes;
        Assert.DoesNotContain(attributes, a => a.Key == "null");
        Assert.Equal(ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), attributes.Single(a => a.Key == "ulong.big").Value.StringValue);
        Assert.Equal("2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d", attributes.Single(a => a.Key == "guid").Value.StringValue);
        Assert.Equal(AnyValue.ValueOneofCase.None, attributes.Single(a => a.Key == "strings").Value.ArrayValue.Values[1].ValueCase);
    }

    [Fact]
    public void Non_ascii_text_is_utf8()
    {
        using var source = TestSpans.Source("unicode");
        var activity = TestSpans.Ended(source, "Überweisung 🚀", configure: a =>
        {
            a.SetTag("greeting", "こんにちは世界, ça va? " + new string('é', 100));
            a.SetTag("lone.surrogate", "bad\ud800end");
        });

        AssertSameAsGenerated([activity]);
        var span = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([activity])).ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal("Überweisung 🚀", span.Name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(300_000)]
    public void Lengths_of_every_varint_size_are_minimal(int valueLength)
    {
        using var source = TestSpans.Source("lengths");
        var activity = TestSpans.Ended(source, "op", configure: a =>
        {
            a.SetTag("big", new string('x', valueLength));
            a.AddEvent(new ActivityEvent("event", tags: new ActivityTagsCollection { ["payload"] = new string('y', valueLength) }));
        });

        AssertSameAsGenerated([activity]);
    }

    [Fact]
    public void Batch_larger_than_the_reserved_length_is_moved_into_place()
    {
        // About 2.5 MB: the request needs a four-byte length where three were reserved.
        using var source = TestSpans.Source("huge");
        var batch = Enumerable.Range(0, 50).Select(i => TestSpans.Ended(source, "op", configure: a => a.SetTag("blob", new string((char)('a' + (i % 26)), 50_000)))).ToList();

        AssertSameAsGenerated(batch);
    }

    [Fact]
    public void Empty_resource_and_nameless_scope_are_still_written()
    {
        using var source = TestSpans.Source("bare", version: null);
        AssertSameAsGenerated([TestSpans.Ended(source, "op")], ServiceResource.Empty);
    }

    [Fact]
    public void Spans_are_grouped_by_scope_name_and_version_in_order_of_first_appearance()
    {
        using var first = TestSpans.Source("group.a", "1.0");
        using var sameNameAndVersion = new ActivitySource(first.Name, "1.0");
        using var otherVersion = TestSpans.Source("group.a", "2.0");
        using var second = TestSpans.Source("group.b", "1.0");
        var batch = new[]
        {
            TestSpans.Ended(first, "a1"), TestSpans.Ended(second, "b1"), TestSpans.Ended(sameNameAndVersion, "a2"),
            TestSpans.Ended(otherVersion, "a3"), TestSpans.Ended(first, "a4"),
        };

        var scopes = ExportTraceServiceRequest.Parser.ParseFrom(Serialize(batch)).ResourceSpans[0].ScopeSpans;

        Assert.Equal([(first.Name, "1.0"), (second.Name, "1.0"), (first.Name, "2.0")], scopes.Select(s => (s.Scope.Name, s.Scope.Version)));
        Assert.Equal(["a1", "a2", "a4"], scopes[0].Spans.Select(s => s.Name));
        Assert.Equal(["b1"], scopes[1].Spans.Select(s => s.Name));
        Assert.Equal(["a3"], scopes[2].Spans.Select(s => s.Name));
        AssertSameAsGenerated(batch);
    }

    [Fact]
    public void Events_and_links_replaced_by_the_sdk_are_the_ones_exported()
    {
        using var source = TestSpans.Source("replaced");
        var linkContext = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        var activity = TestSpans.Ended(source, "op", links: [new ActivityLink(linkContext, new ActivityTagsCollection { ["secret"] = "x" })], configure: a =>
        {
            a.AddEvent(new ActivityEvent("original", tags: new ActivityTagsCollection { ["password"] = "hunter2" }));
            var dropped = DroppedCounts.GetOrCreate(a);
            dropped.ExportedEvents = [new ActivityEvent("scrubbed", a.StartTimeUtc, new ActivityTagsCollection { ["password"] = "***" })];
            dropped.ExportedLinks = [new ActivityLink(linkContext)];
            dropped.EventAttributes = [1];
        });

        var span = ExportTraceServiceRequest.Parser.ParseFrom(Serialize([activity])).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("scrubbed", Assert.Single(span.Events).Name);
        Assert.Equal("***", span.Events[0].Attributes[0].Value.StringValue);
        Assert.Equal(1u, span.Events[0].DroppedAttributesCount);
        Assert.Empty(Assert.Single(span.Links).Attributes);
        Assert.Equal(0x100u, span.Links[0].Flags);
        AssertSameAsGenerated([activity]);
    }

    [Fact]
    public void Realistic_batch_matches_the_generated_serializer()
    {
        using var source = TestSpans.Source("realistic", "1.2.3");
        var batch = Enumerable.Range(0, 64).Select(i => TestSpans.Realistic(source, i)).ToList();

        AssertSameAsGenerated(batch);
    }

    [Fact]
    public void Reused_serializer_and_buffer_give_the_same_bytes_and_do_not_allocate_in_steady_state()
    {
        using var source = TestSpans.Source("steady", "1.2.3");
        var batch = Enumerable.Range(0, 512).Select(i => TestSpans.Realistic(source, i)).ToList();
        var serializer = new OtlpProtobufSerializer();
        using var buffer = new PayloadBuffer(1024);
        serializer.Serialize(buffer, TestSpans.Resource, batch);
        var first = buffer.WrittenSpan.ToArray();

        buffer.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        serializer.Serialize(buffer, TestSpans.Resource, batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(first, buffer.WrittenSpan.ToArray());
        Assert.Equal(0, allocated);
    }
}
