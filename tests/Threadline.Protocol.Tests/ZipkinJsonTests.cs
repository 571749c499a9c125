using System.Text;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Tests.Support;
using Threadline.Protocol.Zipkin;

namespace Threadline.Protocol.Tests;

public sealed class ZipkinJsonTests
{
    private static DecodedSpans Decode(string json) => ZipkinJsonDecoder.Decode(Encoding.UTF8.GetBytes(json), DecodeLimits.Default);

    private static Span Single(string spanMembers) => Assert.Single(Decode($"[{{{spanMembers}}}]").Spans);

    private const string Ids = "\"traceId\":\"5af7183fb1d4cf5f\",\"id\":\"6b221d5bc9e6496c\"";

    [Fact]
    public void Decodes_a_typical_zipkin_span()
    {
        var span = Single("""
            "traceId":"5af7183fb1d4cf5f","parentId":"6b221d5bc9e6496c","id":"352bff9a74ca9ad2","kind":"CLIENT","name":"get /api",
            "timestamp":1556604172355737,"duration":1431,
            "localEndpoint":{"serviceName":"backend","ipv4":"192.168.99.1","port":3306},
            "remoteEndpoint":{"serviceName":"mysql","ipv4":"172.17.0.2","port":3306},
            "tags":{"sql.query":"select distinct `zipkin_spans`.`trace_id`"}
            """);

        Assert.Equal(new TraceId(0, 0x5af7183fb1d4cf5f), span.TraceId);
        Assert.Equal(SpanId.Parse("352bff9a74ca9ad2"), span.SpanId);
        Assert.Equal(SpanId.Parse("6b221d5bc9e6496c"), span.ParentSpanId);
        Assert.Equal(SpanKind.Client, span.Kind);
        Assert.Equal("get /api", span.Name);
        Assert.Equal(1_556_604_172_355_737_000ul, span.StartTimeUnixNano);
        Assert.Equal(1_556_604_172_355_737_000ul + 1_431_000ul, span.EndTimeUnixNano);
        Assert.Equal("backend", span.ServiceName);
        Assert.Equal(
            [
                new KeyValue("sql.query", "select distinct `zipkin_spans`.`trace_id`"),
                new KeyValue("network.local.address", "192.168.99.1"),
                new KeyValue("network.local.port", 3306),
                new KeyValue("peer.service", "mysql"),
                new KeyValue("network.peer.address", "172.17.0.2"),
                new KeyValue("network.peer.port", 3306),
            ],
            span.Attributes);
    }

    [Fact]
    public void Sixty_four_bit_trace_ids_are_left_padded_into_the_low_half()
    {
        var span = Single(Ids);

        Assert.Equal(0ul, span.TraceId.High);
        Assert.Equal(0x5af7183fb1d4cf5ful, span.TraceId.Low);
        Assert.Equal("00000000000000005af7183fb1d4cf5f", span.TraceId.ToString());
    }

    [Fact]
    public void One_hundred_twenty_eight_bit_trace_ids_and_upper_case_hex_are_accepted()
    {
        var span = Single("\"traceId\":\"4BF92F3577B34DA6A3CE929D0E0E4736\",\"id\":\"00F067AA0BA902B7\"");

        Assert.Equal(SampleSpans.TraceA, span.TraceId);
        Assert.Equal(SpanId.Parse("00f067aa0ba902b7"), span.SpanId);
    }

    [Fact]
    public void Shorter_ids_are_left_padded_as_zipkin_does()
    {
        var span = Single("\"traceId\":\"abc\",\"id\":\"1\"");

        Assert.Equal(new TraceId(0, 0xabc), span.TraceId);
        Assert.Equal(new SpanId(1), span.SpanId);
    }

    [Theory]
    [InlineData("\"kind\":\"CLIENT\",", SpanKind.Client)]
    [InlineData("\"kind\":\"SERVER\",", SpanKind.Server)]
    [InlineData("\"kind\":\"PRODUCER\",", SpanKind.Producer)]
    [InlineData("\"kind\":\"CONSUMER\",", SpanKind.Consumer)]
    [InlineData("", SpanKind.Unspecified)]
    [InlineData("\"kind\":\"SIDEWAYS\",", SpanKind.Unspecified)]
    public void Kinds_map_to_otlp_kinds(string kind, SpanKind expected)
    {
        Assert.Equal(expected, Single(kind + Ids).Kind);
    }

    [Fact]
    public void Missing_name_timestamp_duration_and_service_take_defaults()
    {
        var span = Single(Ids);

        Assert.Equal("", span.Name);
        Assert.Equal(0ul, span.StartTimeUnixNano);
        Assert.Equal(0ul, span.EndTimeUnixNano);
        Assert.Equal(Resource.UnknownServiceName, span.ServiceName);
        Assert.True(span.IsRoot);
    }

    [Fact]
    public void Spans_of_one_local_service_share_one_resource_kept_as_received()
    {
        var decoded = Decode("""
            [{IDS,"localEndpoint":{"serviceName":"Frontend"}},
             {"traceId":"1","id":"2","localEndpoint":{"serviceName":"Frontend"}},
             {"traceId":"1","id":"3","localEndpoint":{"serviceName":"backend"}},
             {"traceId":"1","id":"4"},
             {"traceId":"1","id":"5","localEndpoint":{}}]
            """.Replace("IDS", Ids)).Spans;

        Assert.Same(decoded[0].Resource, decoded[1].Resource);
        Assert.Equal("Frontend", decoded[0].ServiceName);
        Assert.NotSame(decoded[0].Resource, decoded[2].Resource);
        Assert.Same(decoded[3].Resource, decoded[4].Resource);
        Assert.Equal(Resource.UnknownServiceName, decoded[3].ServiceName);
    }

    [Fact]
    public void Error_tag_becomes_an_error_status_with_its_value_as_message()
    {
        var span = Single($"{Ids},\"tags\":{{\"error\":\"connection refused\",\"http.method\":\"GET\"}}");

        Assert.Equal(new SpanStatus(StatusCode.Error, "connection refused"), span.Status);
        Assert.Equal([new KeyValue("http.method", "GET")], span.Attributes);
    }

    [Theory]
    [InlineData("\"otel.status_code\":\"OK\"", StatusCode.Ok, "")]
    [InlineData("\"otel.status_code\":\"ERROR\",\"otel.status_description\":\"boom\"", StatusCode.Error, "boom")]
    [InlineData("\"otel.status_code\":\"ERROR\",\"error\":\"from tag\"", StatusCode.Error, "from tag")]
    [InlineData("\"error\":\"\"", StatusCode.Error, "")]
    [InlineData("\"otel.status_code\":\"UNSET\"", StatusCode.Unset, "")]
    public void Otel_status_tags_are_honoured(string tags, StatusCode code, string message)
    {
        var span = Single($"{Ids},\"tags\":{{{tags}}}");

        Assert.Equal(code, span.Status.Code);
        Assert.Equal(message, span.Status.Message);
        Assert.Empty(span.Attributes);
    }

    [Fact]
    public void Otel_scope_tags_become_a_shared_instrumentation_scope()
    {
        var decoded = Decode("""
            [{IDS,"tags":{"otel.scope.name":"Npgsql","otel.scope.version":"9.0"}},
             {"traceId":"1","id":"2","tags":{"otel.scope.name":"Npgsql","otel.scope.version":"9.0"}},
             {"traceId":"1","id":"3","tags":{"otel.library.name":"legacy"}}]
            """.Replace("IDS", Ids)).Spans;

        Assert.Equal(("Npgsql", "9.0"), (decoded[0].Scope.Name, decoded[0].Scope.Version));
        Assert.Same(decoded[0].Scope, decoded[1].Scope);
        Assert.Equal("legacy", decoded[2].Scope.Name);
        Assert.All(decoded, s => Assert.Empty(s.Attributes));
    }

    [Fact]
    public void Annotations_become_events_with_nanosecond_times()
    {
        var span = Single($"{Ids},\"annotations\":[{{\"timestamp\":1556604172355737,\"value\":\"ws\"}},{{\"timestamp\":1556604172355800,\"value\":\"wr\"}}]");

        Assert.Equal([(1_556_604_172_355_737_000ul, "ws"), (1_556_604_172_355_800_000ul, "wr")], span.Events.Select(e => (e.TimeUnixNano, e.Name)));
    }

    [Fact]
    public void Shared_and_debug_are_kept_as_attributes()
    {
        var span = Single($"{Ids},\"shared\":true,\"debug\":true");

        Assert.Equal([new KeyValue("zipkin.shared", true), new KeyValue("zipkin.debug", true)], span.Attributes);
        Assert.Empty(Single($"{Ids},\"shared\":false,\"debug\":false").Attributes);
    }

    [Fact]
    public void Ipv6_endpoints_map_to_the_address_attributes()
    {
        var span = Single($"{Ids},\"remoteEndpoint\":{{\"ipv6\":\"2001:db8::c001\",\"port\":443}},\"localEndpoint\":{{\"serviceName\":\"a\",\"ipv4\":\"10.0.0.1\",\"ipv6\":\"::1\"}}");

        Assert.Equal(
            [
                new KeyValue("network.local.address", "10.0.0.1"),
                new KeyValue("zipkin.local_endpoint.ipv6", "::1"),
                new KeyValue("network.peer.address", "2001:db8::c001"),
                new KeyValue("network.peer.port", 443),
            ],
            span.Attributes);
    }

    [Fact]
    public void Non_string_tag_values_are_kept_as_their_text()
    {
        var span = Single($"{Ids},\"tags\":{{\"http.status_code\":200,\"cache.hit\":true}}");

        Assert.Equal([new KeyValue("http.status_code", "200"), new KeyValue("cache.hit", "true")], span.Attributes);
    }

    [Theory]
    [InlineData("\"traceId\":\"0000000000000000\",\"id\":\"6b221d5bc9e6496c\"", "has an all-zero traceId")]
    [InlineData("\"id\":\"6b221d5bc9e6496c\"", "has no traceId")]
    [InlineData("\"traceId\":\"5af7183fb1d4cf5f\"", "has no id")]
    [InlineData("\"traceId\":\"5af7183fb1d4cf5f\",\"id\":\"0000000000000000\"", "has an all-zero id")]
    [InlineData("\"traceId\":\"5af7183fb1d4cf5fz\",\"id\":\"6b221d5bc9e6496c\"", "has a traceId that is not hex")]
    [InlineData("\"traceId\":\"5af7183fb1d4cf5f\",\"id\":\"6b221d5bc9e6496c00\"", "has an id of 18 characters (expected at most 16 hex digits)")]
    [InlineData("\"traceId\":\"5af7183fb1d4cf5f\",\"id\":\"6b221d5bc9e6496c\",\"parentId\":\"xyz\"", "has a parentId that is not hex")]
    public void Spans_with_invalid_ids_are_rejected_and_the_rest_kept(string ids, string reason)
    {
        var decoded = Decode($"[{{{ids}}},{{{Ids},\"name\":\"good\"}}]");

        Assert.Equal("good", Assert.Single(decoded.Spans).Name);
        Assert.Equal(1, decoded.RejectedSpans);
        Assert.StartsWith("1 span rejected: span 0", decoded.ErrorMessage);
        Assert.EndsWith(reason, decoded.ErrorMessage);
    }

    [Fact]
    public void All_zero_parent_id_means_a_root_span()
    {
        Assert.True(Single($"{Ids},\"parentId\":\"0000000000000000\"").IsRoot);
    }

    [Theory]
    [InlineData("{}", "the body must be an array of spans")]
    [InlineData("[1]", "a span must be an object")]
    [InlineData("[{\"timestamp\":\"soon\"}]", "timestamp must be a non-negative integer number of microseconds")]
    [InlineData("[{\"tags\":{\"a\":{}}}]", "tags.a must be a string")]
    [InlineData("[{\"localEndpoint\":{\"port\":70000}}]", "localEndpoint.port must be a port number")]
    [InlineData("[{\"timestamp\":18446744073709551615}]", "too large")]
    [InlineData("", "the body is empty")]
    [InlineData("[{]", "Malformed Zipkin v2 JSON")]
    public void Malformed_input_is_rejected_with_a_clear_message(string json, string expected)
    {
        var error = Assert.Throws<ProtocolException>(() => Decode(json));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Truncation_at_any_byte_offset_throws_a_protocol_exception()
    {
        var body = ZipkinJsonEncoder.Encode(ZipkinRepresentable());

        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => ZipkinJsonDecoder.Decode(prefix, DecodeLimits.Default));
            Assert.True(error is ProtocolException, $"prefix of {length} bytes: {error?.GetType().Name ?? "no exception"}");
        }
    }

    /// <summary>Spans using only what Zipkin can carry, with attributes in the order the decoder produces them.</summary>
    private static Span[] ZipkinRepresentable()
    {
        var frontend = new Resource([new("service.name", "frontend")]);
        var backend = new Resource([new("service.name", "backend")]);
        var scope = new InstrumentationScope("Npgsql", "9.0");
        return
        [
            new Span
            {
                TraceId = SampleSpans.TraceA,
                SpanId = SpanId.Parse("00f067aa0ba902b7"),
                Name = "get /cart",
                Kind = SpanKind.Server,
                StartTimeUnixNano = 1_700_000_000_000_001_000,
                EndTimeUnixNano = 1_700_000_000_250_001_000,
                Attributes =
                [
                    new("http.method", "GET"),
                    new("network.local.address", "10.0.0.1"),
                    new("network.local.port", 8080),
                    new("peer.service", "browser"),
                    new("network.peer.address", "2001:db8::1"),
                    new("network.peer.port", 51000),
                    new("zipkin.shared", true),
                    new("zipkin.debug", true),
                ],
                Events = [new SpanEvent(1_700_000_000_100_000_000, "cache miss", [])],
                Status = new SpanStatus(StatusCode.Error, "cart unavailable"),
                Resource = frontend,
            },
            new Span
            {
                TraceId = new TraceId(0, 0x5af7183fb1d4cf5f),
                SpanId = SpanId.Parse("1111111111111111"),
                ParentSpanId = SpanId.Parse("00f067aa0ba902b7"),
                Name = "select",
                Kind = SpanKind.Client,
                StartTimeUnixNano = 1_700_000_000_010_000_000,
                EndTimeUnixNano = 1_700_000_000_020_000_000,
                Status = new SpanStatus(StatusCode.Ok, ""),
                Resource = backend,
                Scope = scope,
            },
            new Span
            {
                TraceId = SampleSpans.TraceA,
                SpanId = SpanId.Parse("2222222222222222"),
                Name = "publish",
                Kind = SpanKind.Producer,
                Resource = backend,
                Scope = scope,
            },
            new Span
            {
                TraceId = SampleSpans.TraceA,
                SpanId = SpanId.Parse("3333333333333333"),
                Name = "consume",
                Kind = SpanKind.Consumer,
                Attributes = [new("zipkin.local_endpoint.ipv6", "::1"), new("network.local.address", "10.1.1.1")],
                Resource = backend,
            },
        ];
    }

    [Fact]
    public void Round_trip_preserves_zipkin_representable_spans()
    {
        var spans = ZipkinRepresentable();

        var decoded = ZipkinJsonDecoder.Decode(ZipkinJsonEncoder.Encode(spans), DecodeLimits.Default);

        Assert.Equal(0, decoded.RejectedSpans);
        Assert.Equal(spans.Length, decoded.Spans.Count);
        for (var i = 0; i < spans.Length; i++)
        {
            var expected = spans[i];
            var actual = decoded.Spans[i];
            // Attribute order may differ (endpoints are re-derived), so compare as sets; everything else exactly.
            Assert.Equal(expected.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), actual.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
            ModelAssert.Equal(
                CopyWith(expected, [.. actual.Attributes], expected.Resource),
                CopyWith(actual, [.. actual.Attributes], expected.Resource),
                $"span[{i}]");
            Assert.Equal(expected.ServiceName, actual.ServiceName);
        }
        Assert.Same(decoded.Spans[1].Resource, decoded.Spans[2].Resource);
        Assert.Same(decoded.Spans[1].Scope, decoded.Spans[2].Scope);
    }

    private static Span CopyWith(Span span, KeyValue[] attributes, Resource resource) => new()
    {
        TraceId = span.TraceId, SpanId = span.SpanId, ParentSpanId = span.ParentSpanId, TraceState = span.TraceState, Flags = span.Flags,
        Name = span.Name, Kind = span.Kind, StartTimeUnixNano = span.StartTimeUnixNano, EndTimeUnixNano = span.EndTimeUnixNano,
        Attributes = attributes, DroppedAttributesCount = span.DroppedAttributesCount, Events = span.Events, DroppedEventsCount = span.DroppedEventsCount,
        Links = span.Links, DroppedLinksCount = span.DroppedLinksCount, Status = span.Status, Resource = resource, Scope = span.Scope,
    };

    [Fact]
    public void Decode_then_encode_then_decode_is_stable()
    {
        var first = ZipkinJsonDecoder.Decode(ZipkinJsonEncoder.Encode(ZipkinRepresentable()), DecodeLimits.Default).Spans;

        var second = ZipkinJsonDecoder.Decode(ZipkinJsonEncoder.Encode(first), DecodeLimits.Default).Spans;

        ModelAssert.Equal(first, second);
    }

    [Fact]
    public void Encoder_writes_the_zipkin_v2_shape()
    {
        var json = Encoding.UTF8.GetString(ZipkinJsonEncoder.Encode(ZipkinRepresentable()));
        using var document = JsonDocument.Parse(json);
        var server = document.RootElement[0];
        var client = document.RootElement[1];

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", server.GetProperty("traceId").GetString());
        Assert.Equal("5af7183fb1d4cf5f", client.GetProperty("traceId").GetString());
        Assert.Equal("00f067aa0ba902b7", client.GetProperty("parentId").GetString());
        Assert.Equal("SERVER", server.GetProperty("kind").GetString());
        Assert.Equal(1_700_000_000_000_001L, server.GetProperty("timestamp").GetInt64());
        Assert.Equal(250_000L, server.GetProperty("duration").GetInt64());
        Assert.Equal("frontend", server.GetProperty("localEndpoint").GetProperty("serviceName").GetString());
        Assert.Equal("10.0.0.1", server.GetProperty("localEndpoint").GetProperty("ipv4").GetString());
        Assert.Equal("2001:db8::1", server.GetProperty("remoteEndpoint").GetProperty("ipv6").GetString());
        Assert.Equal("browser", server.GetProperty("remoteEndpoint").GetProperty("serviceName").GetString());
        Assert.Equal("cart unavailable", server.GetProperty("tags").GetProperty("error").GetString());
        Assert.True(server.GetProperty("shared").GetBoolean());
        Assert.Equal("cache miss", server.GetProperty("annotations")[0].GetProperty("value").GetString());
        Assert.Equal("Npgsql", client.GetProperty("tags").GetProperty("otel.scope.name").GetString());
    }

    [Fact]
    public void Encoder_writes_non_string_attributes_as_tag_text_and_unknown_service_without_a_name()
    {
        var span = new Span { TraceId = SampleSpans.TraceA, SpanId = new SpanId(1), Name = "n", Attributes = [new("count", 3L), new("ok", true), new("network.peer.address", "db.internal")] };

        var json = Encoding.UTF8.GetString(ZipkinJsonEncoder.Encode([span]));

        Assert.Contains("\"tags\":{\"count\":\"3\",\"ok\":\"true\",\"network.peer.address\":\"db.internal\"}", json);
        Assert.Contains("\"localEndpoint\":{\"serviceName\":\"unknown_service\"}", json);
    }
}
