using System.Text;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Tests.Support;

namespace Threadline.Protocol.Tests;

public sealed class OtlpJsonTests
{
    private const string TraceHex = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanHex = "00f067aa0ba902b7";

    private static DecodedSpans Decode(string json, DecodeLimits? limits = null) =>
        OtlpJsonDecoder.DecodeExportRequest(Encoding.UTF8.GetBytes(json), limits ?? DecodeLimits.Default);

    /// <summary>A request with one span whose JSON members are <paramref name="spanMembers"/>.</summary>
    private static string WithSpan(string spanMembers, string resource = "", string scope = "") =>
        $$"""{"resourceSpans":[{{{resource}}"scopeSpans":[{{{scope}}"spans":[{{{spanMembers}}}]}]}]}""";

    private static string Ids => $"\"traceId\":\"{TraceHex}\",\"spanId\":\"{SpanHex}\"";

    private static Span Single(string json) => Assert.Single(Decode(json).Spans);

    private static AttributeValue DecodeValue(string anyValueJson) =>
        Single(WithSpan($"{Ids},\"attributes\":[{{\"key\":\"k\",\"value\":{anyValueJson}}}]")).Attributes[0].Value;

    [Fact]
    public void Round_trip_preserves_every_field()
    {
        var spans = SampleSpans.EveryField();

        var decoded = OtlpJsonDecoder.DecodeExportRequest(OtlpJsonEncoder.EncodeExportRequest(spans), DecodeLimits.Default);

        ModelAssert.Equal(spans, decoded.Spans);
        Assert.Equal(0, decoded.RejectedSpans);
    }

    [Fact]
    public void Round_trip_through_protobuf_and_json_gives_the_same_spans()
    {
        var spans = SampleSpans.EveryField();
        var viaProtobuf = OtlpProtobufDecoder.DecodeExportRequest(OtlpProtobufEncoder.EncodeExportRequest(spans), DecodeLimits.Default).Spans;

        var viaJson = OtlpJsonDecoder.DecodeExportRequest(OtlpJsonEncoder.EncodeExportRequest(viaProtobuf), DecodeLimits.Default).Spans;

        ModelAssert.Equal(spans, viaJson);
    }

    [Fact]
    public void Encoder_writes_hex_ids_decimal_string_times_integer_enums_and_camel_case_keys()
    {
        var json = Encoding.UTF8.GetString(OtlpJsonEncoder.EncodeExportRequest(SampleSpans.EveryField()));
        using var document = JsonDocument.Parse(json);
        var span = document.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans")[0];

        Assert.Equal(TraceHex, span.GetProperty("traceId").GetString());
        Assert.Equal(SpanHex, span.GetProperty("spanId").GetString());
        Assert.Equal("1700000000000000001", span.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal(2, span.GetProperty("kind").GetInt32());
        Assert.Equal(2, span.GetProperty("status").GetProperty("code").GetInt32());
        Assert.Equal(769, span.GetProperty("flags").GetInt32());
        Assert.Equal(3, span.GetProperty("droppedAttributesCount").GetInt32());
        Assert.False(span.TryGetProperty("parentSpanId", out _));
        Assert.Contains("\"schemaUrl\":\"https://opentelemetry.io/schemas/1.26.0\"", json);
        Assert.DoesNotContain("_", string.Concat(EnumerateKeys(document.RootElement)));
    }

    private static IEnumerable<string> EnumerateKeys(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                // Attribute keys are user data ("host.cpu.count"); only protocol keys must be camelCase.
                if (property.Name != "key") yield return property.Name;
                foreach (var key in EnumerateKeys(property.Value)) yield return key;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var key in EnumerateKeys(item)) yield return key;
        }
    }

    [Theory]
    [InlineData("{\"stringValue\":\"x\"}", "{\"stringValue\":\"x\"}")]
    [InlineData("{\"boolValue\":false}", "{\"boolValue\":false}")]
    [InlineData("{\"intValue\":\"-9223372036854775808\"}", "{\"intValue\":\"-9223372036854775808\"}")]
    [InlineData("{\"doubleValue\":1.5}", "{\"doubleValue\":1.5}")]
    [InlineData("{\"doubleValue\":\"NaN\"}", "{\"doubleValue\":\"NaN\"}")]
    [InlineData("{\"doubleValue\":\"-Infinity\"}", "{\"doubleValue\":\"-Infinity\"}")]
    [InlineData("{\"bytesValue\":\"AAH+/w==\"}", "{\"bytesValue\":\"AAH+/w==\"}")]
    [InlineData("{}", "{}")]
    [InlineData("{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},{}]}}", "{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},{}]}}")]
    [InlineData("{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":{\"boolValue\":true}}]}}", "{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":{\"boolValue\":true}}]}}")]
    public void Attribute_values_are_written_in_the_otlp_json_mapping(string input, string expectedOutput)
    {
        var span = new Span { TraceId = SampleSpans.TraceA, SpanId = new SpanId(1), Name = "n", Attributes = [new("k", DecodeValue(input))] };

        var json = Encoding.UTF8.GetString(OtlpJsonEncoder.EncodeExportRequest([span]));

        Assert.Contains($"\"attributes\":[{{\"key\":\"k\",\"value\":{expectedOutput}}}]", json);
    }

    [Fact]
    public void Decoder_accepts_original_snake_case_keys()
    {
        var json = """
            {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"svc"}}],"dropped_attributes_count":1},
              "schema_url":"r","scope_spans":[{"scope":{"name":"lib","dropped_attributes_count":2},"schema_url":"s","spans":[{
                "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","parent_span_id":"1111111111111111",
                "trace_state":"a=b","start_time_unix_nano":"5","end_time_unix_nano":"6","dropped_attributes_count":3,
                "dropped_events_count":4,"dropped_links_count":5,
                "attributes":[{"key":"i","value":{"int_value":"7"}},{"key":"d","value":{"double_value":2.5}},{"key":"b","value":{"bool_value":true}},
                  {"key":"y","value":{"bytes_value":"AQI="}},{"key":"a","value":{"array_value":{"values":[{"int_value":1}]}}},
                  {"key":"l","value":{"kvlist_value":{"values":[{"key":"x","value":{"string_value":"z"}}]}}}],
                "events":[{"time_unix_nano":"9","name":"e","dropped_attributes_count":1}],
                "links":[{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"2222222222222222","trace_state":"t","dropped_attributes_count":6}]}]}]}]}
            """;

        var span = Single(json);

        Assert.Equal("svc", span.ServiceName);
        Assert.Equal(1u, span.Resource.DroppedAttributesCount);
        Assert.Equal("r", span.Resource.SchemaUrl);
        Assert.Equal(("lib", 2u, "s"), (span.Scope.Name, span.Scope.DroppedAttributesCount, span.Scope.SchemaUrl));
        Assert.Equal(SpanId.Parse("1111111111111111"), span.ParentSpanId);
        Assert.Equal(("a=b", 5ul, 6ul), (span.TraceState, span.StartTimeUnixNano, span.EndTimeUnixNano));
        Assert.Equal((3u, 4u, 5u), (span.DroppedAttributesCount, span.DroppedEventsCount, span.DroppedLinksCount));
        Assert.Equal(
            [
                new KeyValue("i", 7L), new KeyValue("d", 2.5), new KeyValue("b", true), new KeyValue("y", AttributeValue.FromBytes([1, 2])),
                new KeyValue("a", AttributeValue.FromArray([1L])), new KeyValue("l", AttributeValue.FromKeyValueList([new("x", "z")])),
            ],
            span.Attributes);
        Assert.Equal((9ul, "e", 1u), (span.Events[0].TimeUnixNano, span.Events[0].Name, span.Events[0].DroppedAttributesCount));
        Assert.Equal(("t", 6u), (span.Links[0].TraceState, span.Links[0].DroppedAttributesCount));
    }

    [Fact]
    public void Decoder_accepts_upper_case_hex_ids()
    {
        var span = Single(WithSpan($"\"traceId\":\"{TraceHex.ToUpperInvariant()}\",\"spanId\":\"{SpanHex.ToUpperInvariant()}\",\"parentSpanId\":\"ABCDEF0123456789\""));

        Assert.Equal(SampleSpans.TraceA, span.TraceId);
        Assert.Equal(SpanId.Parse(SpanHex), span.SpanId);
        Assert.Equal(SpanId.Parse("abcdef0123456789"), span.ParentSpanId);
    }

    [Theory]
    [InlineData("\"1700000000000000001\"")]
    [InlineData("1700000000000000001")]
    public void Decoder_accepts_times_as_strings_or_numbers(string time)
    {
        var span = Single(WithSpan($"{Ids},\"startTimeUnixNano\":{time},\"endTimeUnixNano\":{time}"));

        Assert.Equal(1_700_000_000_000_000_001ul, span.StartTimeUnixNano);
        Assert.Equal(1_700_000_000_000_000_001ul, span.EndTimeUnixNano);
    }

    [Theory]
    [InlineData("{\"intValue\":\"-42\"}", -42L)]
    [InlineData("{\"intValue\":-42}", -42L)]
    [InlineData("{\"intValue\":\"9223372036854775807\"}", long.MaxValue)]
    public void Decoder_accepts_int_values_as_strings_or_numbers(string anyValue, long expected)
    {
        Assert.Equal(AttributeValue.FromInt(expected), DecodeValue(anyValue));
    }

    [Theory]
    [InlineData("2", SpanKind.Server)]
    [InlineData("\"SPAN_KIND_CONSUMER\"", SpanKind.Consumer)]
    [InlineData("\"SPAN_KIND_INTERNAL\"", SpanKind.Internal)]
    [InlineData("0", SpanKind.Unspecified)]
    [InlineData("99", SpanKind.Unspecified)]
    public void Decoder_accepts_kind_as_integer_or_enum_name(string kind, SpanKind expected)
    {
        Assert.Equal(expected, Single(WithSpan($"{Ids},\"kind\":{kind}")).Kind);
    }

    [Theory]
    [InlineData("2", StatusCode.Error)]
    [InlineData("\"STATUS_CODE_OK\"", StatusCode.Ok)]
    [InlineData("\"STATUS_CODE_ERROR\"", StatusCode.Error)]
    public void Decoder_accepts_status_code_as_integer_or_enum_name(string code, StatusCode expected)
    {
        var span = Single(WithSpan($"{Ids},\"status\":{{\"code\":{code},\"message\":\"m\"}}"));

        Assert.Equal(new SpanStatus(expected, "m"), span.Status);
    }

    [Theory]
    [InlineData("{\"doubleValue\":\"NaN\"}", double.NaN)]
    [InlineData("{\"doubleValue\":\"Infinity\"}", double.PositiveInfinity)]
    [InlineData("{\"doubleValue\":\"-Infinity\"}", double.NegativeInfinity)]
    [InlineData("{\"doubleValue\":-0.5}", -0.5)]
    [InlineData("{\"doubleValue\":3}", 3.0)]
    [InlineData("{\"doubleValue\":\"1e3\"}", 1000.0)]
    public void Decoder_accepts_double_values_as_numbers_or_special_strings(string anyValue, double expected)
    {
        Assert.Equal(AttributeValue.FromDouble(expected), DecodeValue(anyValue));
    }

    [Theory]
    [InlineData("\"AAH+/w==\"")]
    [InlineData("\"AAH-_w\"")]
    public void Decoder_reads_bytes_values_as_base64_in_either_alphabet(string base64)
    {
        Assert.Equal(AttributeValue.FromBytes([0, 1, 0xFE, 0xFF]), DecodeValue($"{{\"bytesValue\":{base64}}}"));
    }

    [Fact]
    public void Unknown_fields_are_skipped_at_every_level()
    {
        const string Junk = "\"future\":{\"a\":[1,{\"b\":null}],\"c\":\"d\"},\"other\":[[]],";
        var json = """
            {JUNK"resourceSpans":[{JUNK"resource":{JUNK"attributes":[{JUNK"key":"service.name","value":{JUNK"stringValue":"svc"}}]},
              "scopeSpans":[{JUNK"scope":{JUNK"name":"lib"},"spans":[{JUNKIDS,"name":"n",
                "events":[{JUNK"name":"e"}],"links":[{JUNK"traceId":"TRACE","spanId":"SPAN"}],
                "status":{JUNK"code":1},
                "attributes":[{"key":"a","value":{"arrayValue":{JUNK"values":[{"kvlistValue":{JUNK"values":[]}}]}}}]}]}]}]}
            """.Replace("JUNK", Junk).Replace("IDS", Ids).Replace("TRACE", TraceHex).Replace("SPAN", SpanHex);

        var span = Single(json);

        Assert.Equal(("svc", "lib", "n"), (span.ServiceName, span.Scope.Name, span.Name));
        Assert.Equal("e", Assert.Single(span.Events).Name);
        Assert.Single(span.Links);
        Assert.Equal(StatusCode.Ok, span.Status.Code);
        Assert.Equal(AttributeValue.FromArray([AttributeValue.FromKeyValueList([])]), span.Attributes[0].Value);
    }

    [Fact]
    public void Missing_empty_and_null_fields_take_their_defaults()
    {
        var span = Single(WithSpan($"{Ids},\"parentSpanId\":\"\",\"name\":null,\"kind\":null,\"attributes\":null,\"traceState\":\"\",\"status\":{{}}", resource: "\"resource\":null,", scope: "\"scope\":{},"));

        Assert.True(span.IsRoot);
        Assert.Equal("", span.Name);
        Assert.Equal(SpanKind.Unspecified, span.Kind);
        Assert.Empty(span.Attributes);
        Assert.Equal(SpanStatus.Unset, span.Status);
        Assert.Same(Resource.Empty, span.Resource);
        Assert.Same(InstrumentationScope.Empty, span.Scope);
        Assert.Equal(0ul, span.StartTimeUnixNano);
    }

    [Fact]
    public void Empty_request_object_has_no_spans()
    {
        Assert.Empty(Decode("{}").Spans);
        Assert.Empty(Decode("{\"resourceSpans\":[]}").Spans);
        Assert.Empty(Decode("{\"resourceSpans\":[{}]}").Spans);
    }

    [Fact]
    public void Decode_handles_resource_written_after_scope_spans()
    {
        var json = """{"resourceSpans":[{"scopeSpans":[{"spans":[{IDS}],"scope":{"name":"late"}}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"later"}}]}}]}""".Replace("IDS", Ids);

        var span = Single(json);

        Assert.Equal("later", span.ServiceName);
        Assert.Equal("late", span.Scope.Name);
    }

    [Theory]
    [InlineData("\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"00f067aa0ba902b7\"", "has an all-zero traceId")]
    [InlineData("\"traceId\":\"4bf92f3577b34da6\",\"spanId\":\"00f067aa0ba902b7\"", "has a traceId of 16 characters (expected 32 hex digits)")]
    [InlineData("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e473g\",\"spanId\":\"00f067aa0ba902b7\"", "has a traceId that is not hex")]
    [InlineData("\"spanId\":\"00f067aa0ba902b7\"", "has no traceId")]
    [InlineData("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"0000000000000000\"", "has an all-zero spanId")]
    [InlineData("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\",\"parentSpanId\":\"abc\"", "has a parentSpanId of 3 characters (expected 16 hex digits)")]
    public void Decode_rejects_span_with_invalid_ids_and_keeps_the_rest(string ids, string reason)
    {
        var json = $$"""{"resourceSpans":[{"scopeSpans":[{"scope":{"name":"lib"},"spans":[{{{ids}}},{{{Ids}},"name":"good"}]}]}]}""";

        var decoded = Decode(json);

        Assert.Equal("good", Assert.Single(decoded.Spans).Name);
        Assert.Equal(1, decoded.RejectedSpans);
        Assert.Equal($"1 span rejected: span 0 of scope 'lib' (resourceSpans[0].scopeSpans[0].spans[0]) {reason}", decoded.ErrorMessage);
    }

    [Fact]
    public void Decode_drops_link_with_invalid_ids_and_counts_it()
    {
        var span = Single(WithSpan($"{Ids},\"droppedLinksCount\":1,\"links\":[{{\"traceId\":\"{TraceHex}\",\"spanId\":\"0000000000000000\"}},{{\"traceId\":\"{TraceHex}\",\"spanId\":\"{SpanHex}\"}}]"));

        Assert.Single(span.Links);
        Assert.Equal(2u, span.DroppedLinksCount);
    }

    [Fact]
    public void Depth_bomb_of_ten_thousand_nested_arrays_is_rejected()
    {
        var value = new StringBuilder();
        for (var i = 0; i < 10_000; i++) value.Append("{\"arrayValue\":{\"values\":[");
        value.Append("{}");
        for (var i = 0; i < 10_000; i++) value.Append("]}}");

        var error = Assert.Throws<ProtocolException>(() => DecodeValue(value.ToString()));

        Assert.Contains("at most 32 arrays or key-value lists (DecodeLimits.MaxValueDepth)", error.Message);
        Assert.Contains("resourceSpans[0]", error.Message);
    }

    [Fact]
    public void Value_depth_limit_is_enforced_exactly_when_fields_come_in_order()
    {
        string Nested(int depth)
        {
            var value = new StringBuilder();
            for (var i = 0; i < depth; i++) value.Append("{\"arrayValue\":{\"values\":[");
            value.Append("{}");
            for (var i = 0; i < depth; i++) value.Append("]}}");
            return value.ToString();
        }
        string Request(int depth) =>
            $"{{\"resourceSpans\":[{{\"scopeSpans\":[{{\"spans\":[{{{Ids},\"attributes\":[{{\"key\":\"k\",\"value\":{Nested(depth)}}}]}}]}}]}}]}}";
        var limits = new DecodeLimits { MaxValueDepth = 3 };

        Assert.Single(Decode(Request(3), limits).Spans);
        var error = Assert.Throws<ProtocolException>(() => Decode(Request(4), limits));
        Assert.Contains("attribute value nested deeper than 3", error.Message);
    }

    [Fact]
    public void Deep_unknown_fields_are_rejected_as_malformed()
    {
        var junk = new string('[', 5000) + new string(']', 5000);

        var error = Assert.Throws<ProtocolException>(() => Decode($"{{\"unknown\":{junk}}}"));

        Assert.Contains("JSON nested deeper than", error.Message);
    }

    [Fact]
    public void Truncation_at_any_byte_offset_throws_a_protocol_exception()
    {
        var body = OtlpJsonEncoder.EncodeExportRequest(SampleSpans.EveryField().Take(2).ToArray());

        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => OtlpJsonDecoder.DecodeExportRequest(prefix, DecodeLimits.Default));
            Assert.True(error is ProtocolException, $"prefix of {length} bytes: {error?.GetType().Name ?? "no exception"}");
        }
    }

    [Theory]
    [InlineData("[]", "the request must be an object, not an array")]
    [InlineData("{\"resourceSpans\":{}}", "resourceSpans must be an array, not an object")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":5}]}]}]}", "in resourceSpans[0].scopeSpans[0].spans[0]): name must be a string, not a number")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"-1\"}]}]}]}", "startTimeUnixNano must be an unsigned 64-bit integer")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":1.5}]}]}]}", "startTimeUnixNano must be an unsigned 64-bit integer")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SERVER\"}]}]}]}", "kind must be an integer 0-5 or a name")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\",\"value\":{\"boolValue\":\"yes\"}}]}]}]}]}", "boolValue must be true or false")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\",\"value\":{\"bytesValue\":\"!!\"}}]}]}]}]}", "bytesValue must be base64")]
    [InlineData("", "the body is empty")]
    [InlineData("{} {}", "Malformed OTLP/JSON")]
    [InlineData("{\"a\":1,}", "Malformed OTLP/JSON")]
    public void Malformed_json_is_rejected_with_position_and_path(string json, string expected)
    {
        var error = Assert.Throws<ProtocolException>(() => Decode(json));

        Assert.Contains(expected, error.Message);
        Assert.Contains(" at line 1, column ", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_rejected()
    {
        var json = Encoding.UTF8.GetBytes(WithSpan($"{Ids},\"name\":\"ab\""));
        var index = Array.IndexOf(json, (byte)'a', json.Length - 12);
        json[index] = 0xC3;
        json[index + 1] = 0x28;

        var error = Assert.Throws<ProtocolException>(() => OtlpJsonDecoder.DecodeExportRequest(json, DecodeLimits.Default));

        Assert.Contains("name is not valid UTF-8", error.Message);
    }

    [Fact]
    public void Export_response_is_an_empty_object_on_full_success()
    {
        Assert.Equal("{}", Encoding.UTF8.GetString(OtlpJsonEncoder.EncodeExportResponse(0, null)));
    }

    [Fact]
    public void Export_response_carries_partial_success_with_rejected_count_as_string()
    {
        var json = Encoding.UTF8.GetString(OtlpJsonEncoder.EncodeExportResponse(2, "2 spans rejected"));

        Assert.Equal("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"2 spans rejected\"}}", json);
    }

    [Fact]
    public void Write_export_request_writes_into_a_caller_supplied_writer()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            OtlpJsonEncoder.WriteExportRequest(writer, [SampleSpans.Simple(0)]);
        }

        var decoded = OtlpJsonDecoder.DecodeExportRequest(stream.ToArray(), DecodeLimits.Default);

        ModelAssert.Equal([SampleSpans.Simple(0)], decoded.Spans);
    }
}
