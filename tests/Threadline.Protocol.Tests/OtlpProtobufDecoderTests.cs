using Google.Protobuf;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Tests.Support;
using static Threadline.Protocol.Tests.Support.Pb;
using Wire = Threadline.TestSupport.Otlp;

namespace Threadline.Protocol.Tests;

public sealed class OtlpProtobufDecoderTests
{
    private static DecodedSpans Decode(byte[] body, DecodeLimits? limits = null) =>
        OtlpProtobufDecoder.DecodeExportRequest(body, limits ?? DecodeLimits.Default);

    private static byte[] Id(int length, byte fill = 0xAB) => Enumerable.Repeat(fill, length).ToArray();

    /// <summary>A span message with the given id bytes and name (field numbers as in trace.proto).</summary>
    private static byte[] SpanMessage(byte[] traceId, byte[] spanId, string name, byte[]? parent = null, params byte[][] extra) => Concat(
        LenField(1, traceId), LenField(2, spanId), parent is null ? [] : LenField(4, parent), StringField(5, name), Concat(extra));

    private static byte[] Request(string scopeName, params byte[][] spans) =>
        LenField(1, LenField(2, LenField(1, StringField(1, scopeName)), Concat(spans.Select(s => LenField(2, s)).ToArray())));

    [Fact]
    public void Decode_reads_bytes_written_by_generated_protobuf_types_into_the_expected_model()
    {
        var expected = SampleSpans.EveryField();
        var body = WireModel.ToWire(expected).ToByteArray();

        var decoded = Decode(body);

        ModelAssert.Equal(expected, decoded.Spans);
        Assert.Equal(0, decoded.RejectedSpans);
        Assert.Null(decoded.ErrorMessage);
    }

    [Fact]
    public void Decode_of_an_empty_body_is_an_empty_request()
    {
        var decoded = Decode([]);

        Assert.Empty(decoded.Spans);
        Assert.Equal(0, decoded.RejectedSpans);
    }

    [Fact]
    public void Decode_shares_one_resource_and_one_scope_object_per_group()
    {
        var resource = new Resource([new("service.name", "a")]);
        var scope = new InstrumentationScope("lib");
        var spans = Enumerable.Range(0, 10).Select(i => SampleSpans.Simple(i, resource, scope)).ToArray();
        var body = WireModel.ToWire(spans).ToByteArray();

        var decoded = Decode(body).Spans;

        Assert.All(decoded, s => Assert.Same(decoded[0].Resource, s.Resource));
        Assert.All(decoded, s => Assert.Same(decoded[0].Scope, s.Scope));
        Assert.Equal("a", decoded[0].ServiceName);
    }

    [Fact]
    public void Decode_interns_repeated_attribute_keys_and_short_values()
    {
        var resource = new Resource([new("service.name", "a")]);
        var spans = Enumerable.Range(0, 50).Select(i => SampleSpans.Simple(i, resource)).ToArray();
        var withAttributes = spans.Select(s => new Span
        {
            TraceId = s.TraceId, SpanId = s.SpanId, Name = s.Name, Resource = resource,
            Attributes = [new("http.request.method", "GET"), new("url.full", "https://shop.example/cart/" + new string('x', 80))],
        }).ToArray();
        var decoded = Decode(WireModel.ToWire(withAttributes).ToByteArray()).Spans;

        Assert.All(decoded, s => Assert.Same(decoded[0].Attributes[0].Key, s.Attributes[0].Key));
        Assert.All(decoded, s => Assert.Same(decoded[0].Attributes[0].Value.AsString(), s.Attributes[0].Value.AsString()));
        Assert.Equal("GET", decoded[49].Attributes[0].Value.AsString());
    }

    [Fact]
    public void Repeated_scalar_attributes_are_shared_but_arrays_and_bytes_never_are()
    {
        var attributes = new KeyValue[]
        {
            new("http.request.method", "GET"),
            new("user_agent.original", new string('u', 150)),
            new("tags", AttributeValue.FromArray(["a", "b"])),
            new("blob", AttributeValue.FromBytes([1, 2, 3])),
        };
        var spans = Enumerable.Range(0, 4).Select(i => new Span { TraceId = SampleSpans.TraceA, SpanId = new SpanId((ulong)i + 1), Name = "n", Attributes = attributes }).ToArray();

        var decoded = Decode(WireModel.ToWire(spans).ToByteArray()).Spans;

        // An attribute is cached the second time it is seen, so spans from the second on share it.
        Assert.Same(decoded[1].Attributes[1].Value.AsString(), decoded[3].Attributes[1].Value.AsString());
        Assert.NotSame(decoded[0].Attributes[2].Value.AsArray(), decoded[3].Attributes[2].Value.AsArray());
        Assert.NotSame(decoded[0].Attributes[3].Value.AsBytes(), decoded[3].Attributes[3].Value.AsBytes());
        Assert.All(decoded, s => ModelAssert.Attributes(attributes, s.Attributes, s.Name));
    }

    [Fact]
    public void Attribute_cache_never_hands_back_a_different_attribute()
    {
        // Thousands of distinct attributes, many more than the caches hold, seen several times in
        // different orders: every lookup that shares a slot must still come back with the right value.
        var attributes = Enumerable.Range(0, 5000).Select(i => new KeyValue($"key.{i % 97}", i % 3 == 0 ? AttributeValue.FromInt(i) : $"value-{i}")).ToArray();
        var random = new Random(7);
        for (var round = 0; round < 3; round++)
        {
            var shuffled = attributes.OrderBy(_ => random.Next()).ToArray();
            var spans = shuffled.Chunk(50).Select((chunk, i) => new Span { TraceId = SampleSpans.TraceA, SpanId = new SpanId((ulong)i + 1), Name = "n", Attributes = chunk }).ToArray();

            var decoded = Decode(WireModel.ToWire(spans).ToByteArray()).Spans;

            ModelAssert.Equal(spans, decoded);
        }
    }

    [Fact]
    public void Decode_rejects_span_with_all_zero_trace_id_and_keeps_the_rest()
    {
        var body = Request("checkout-lib",
            SpanMessage(Id(16), Id(8), "good 0"),
            SpanMessage(Id(16, 0), Id(8), "bad"),
            SpanMessage(Id(16), Id(8), "good 2"));

        var decoded = Decode(body);

        Assert.Equal(["good 0", "good 2"], decoded.Spans.Select(s => s.Name));
        Assert.Equal(1, decoded.RejectedSpans);
        Assert.Equal("1 span rejected: span 1 of scope 'checkout-lib' (resource_spans[0].scope_spans[0].spans[1]) has an all-zero trace_id", decoded.ErrorMessage);
    }

    [Theory]
    [InlineData(15, 8, null, "has a trace_id of 15 bytes (expected 16)")]
    [InlineData(0, 8, null, "has no trace_id")]
    [InlineData(17, 8, null, "has a trace_id of 17 bytes (expected 16)")]
    [InlineData(16, 7, null, "has a span_id of 7 bytes (expected 8)")]
    [InlineData(16, 0, null, "has no span_id")]
    [InlineData(16, -1, null, "has an all-zero span_id")]
    [InlineData(16, 8, 4, "has a parent_span_id of 4 bytes (expected 8, or none for a root span)")]
    public void Decode_rejects_span_with_invalid_ids(int traceIdLength, int spanIdLength, int? parentLength, string reason)
    {
        var spanId = spanIdLength < 0 ? Id(8, 0) : Id(spanIdLength);
        var body = Request("s",
            SpanMessage(Id(traceIdLength), spanId, "bad", parentLength is null ? null : Id(parentLength.Value)),
            SpanMessage(Id(16), Id(8), "good"));

        var decoded = Decode(body);

        Assert.Equal("good", Assert.Single(decoded.Spans).Name);
        Assert.Equal(1, decoded.RejectedSpans);
        Assert.EndsWith(reason, decoded.ErrorMessage);
    }

    [Fact]
    public void Decode_treats_all_zero_parent_span_id_as_a_root()
    {
        var decoded = Decode(Request("s", SpanMessage(Id(16), Id(8), "root", parent: Id(8, 0))));

        var span = Assert.Single(decoded.Spans);
        Assert.True(span.IsRoot);
        Assert.Equal(0, decoded.RejectedSpans);
    }

    [Fact]
    public void Decode_drops_a_link_with_invalid_ids_and_counts_it_as_dropped()
    {
        var goodLink = LenField(13, LenField(1, Id(16)), LenField(2, Id(8)), StringField(3, "k=v"));
        var zeroTraceLink = LenField(13, LenField(1, Id(16, 0)), LenField(2, Id(8)), LenField(4, LenField(1, StringField(1, "dropped"))));
        var shortSpanLink = LenField(13, LenField(1, Id(16)), LenField(2, Id(4)));
        var span = SpanMessage(Id(16), Id(8), "with links", null, goodLink, zeroTraceLink, shortSpanLink, VarintField(14, 2));

        var decoded = Decode(Request("s", span));

        var result = Assert.Single(decoded.Spans);
        Assert.Equal("k=v", Assert.Single(result.Links).TraceState);
        Assert.Equal(4u, result.DroppedLinksCount);
        Assert.Equal(0, decoded.RejectedSpans);
    }

    [Fact]
    public void Rejection_message_stays_short_however_many_spans_are_rejected()
    {
        var bad = Enumerable.Range(0, 1000).Select(_ => SpanMessage(Id(16, 0), Id(8), "bad")).ToArray();

        var decoded = Decode(Request(new string('n', 500), bad));

        Assert.Empty(decoded.Spans);
        Assert.Equal(1000, decoded.RejectedSpans);
        Assert.StartsWith("1000 spans rejected: span 0 of scope 'nnn", decoded.ErrorMessage);
        Assert.EndsWith("; and 995 more", decoded.ErrorMessage);
        Assert.True(decoded.ErrorMessage!.Length < 1000, decoded.ErrorMessage);
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped_at_every_level()
    {
        var attribute = Concat(UnknownFields(20), StringField(1, "key"), UnknownFields(30), LenField(2, UnknownFields(20), StringField(1, "value"), UnknownFields(40)));
        var arrayAttribute = Concat(StringField(1, "array"), LenField(2, LenField(5, UnknownFields(20), LenField(1, VarintField(3, 7)), UnknownFields(30))));
        var span = Concat(
            UnknownFields(100),
            LenField(1, Id(16)), LenField(2, Id(8)), StringField(5, "name"),
            LenField(9, attribute), LenField(9, arrayAttribute),
            LenField(11, UnknownFields(20), StringField(2, "event"), LenField(3, attribute)),
            LenField(13, UnknownFields(20), LenField(1, Id(16)), LenField(2, Id(8)), LenField(4, attribute)),
            LenField(15, UnknownFields(20), VarintField(1, 9), VarintField(3, 2), StringField(2, "boom")),
            UnknownFields(200));
        var body = Concat(
            UnknownFields(10),
            LenField(1,
                UnknownFields(10),
                LenField(1, UnknownFields(10), LenField(1, StringField(1, "service.name"), LenField(2, StringField(1, "svc"))), UnknownFields(20)),
                LenField(2, UnknownFields(10), LenField(1, UnknownFields(10), StringField(1, "scope")), LenField(2, span), UnknownFields(20)),
                LenField(1000, [1, 2, 3])),
            UnknownFields(20));

        var decoded = Decode(body);

        var result = Assert.Single(decoded.Spans);
        Assert.Equal("svc", result.ServiceName);
        Assert.Equal("scope", result.Scope.Name);
        Assert.Equal([new KeyValue("key", "value"), new KeyValue("array", AttributeValue.FromArray([7L]))], result.Attributes);
        Assert.Equal("event", Assert.Single(result.Events).Name);
        Assert.Equal(new KeyValue("key", "value"), Assert.Single(Assert.Single(result.Links).Attributes));
        Assert.Equal(new SpanStatus(StatusCode.Error, "boom"), result.Status);
    }

    [Fact]
    public void Decode_handles_resource_and_scope_written_after_their_spans()
    {
        var scopeSpans = Concat(LenField(2, SpanMessage(Id(16), Id(8), "late")), StringField(3, "scope-schema"), LenField(1, StringField(1, "late-scope")));
        var body = LenField(1,
            LenField(2, scopeSpans),
            StringField(3, "resource-schema"),
            LenField(1, LenField(1, StringField(1, "service.name"), LenField(2, StringField(1, "late-service")))));

        var span = Assert.Single(Decode(body).Spans);

        Assert.Equal("late-service", span.ServiceName);
        Assert.Equal("resource-schema", span.Resource.SchemaUrl);
        Assert.Equal("late-scope", span.Scope.Name);
        Assert.Equal("scope-schema", span.Scope.SchemaUrl);
    }

    [Fact]
    public void Decode_agrees_with_the_generated_parser_on_repeated_and_non_minimal_fields()
    {
        // Protobuf semantics: a repeated scalar keeps the last value, repeated embedded messages
        // merge (an AnyValue array given twice concatenates), and varints may be over-long.
        var nonMinimalKind = Concat(Tag(6, 0), [0x82, 0x80, 0x80, 0x00]);
        var span = Concat(
            SpanMessage(Id(16), Id(8), "first"),
            StringField(5, "second"),
            nonMinimalKind,
            LenField(9, StringField(1, "a"), LenField(2, LenField(5, LenField(1, VarintField(3, 1)))), LenField(2, LenField(5, LenField(1, VarintField(3, 2))))),
            LenField(9, StringField(1, "b"), LenField(2, VarintField(3, 5)), LenField(2, StringField(1, "replaced"))),
            LenField(15, StringField(2, "m1")),
            LenField(15, VarintField(3, 1)));
        var body = Request("s", span);

        var ours = Decode(body).Spans;
        var reference = WireModel.FromWire(Wire.ExportTraceServiceRequest.Parser.ParseFrom(body));

        ModelAssert.Equal(reference, ours);
        Assert.Equal("second", ours[0].Name);
        Assert.Equal(SpanKind.Server, ours[0].Kind);
        Assert.Equal(AttributeValue.FromArray([1L, 2L]), ours[0].Attributes[0].Value);
        Assert.Equal(new SpanStatus(StatusCode.Ok, "m1"), ours[0].Status);
    }

    [Fact]
    public void Decode_maps_out_of_range_enum_values_to_unspecified_and_unset()
    {
        var span = SpanMessage(Id(16), Id(8), "odd", null, VarintField(6, 42), LenField(15, VarintField(3, 9)));

        var result = Assert.Single(Decode(Request("s", span)).Spans);

        Assert.Equal(SpanKind.Unspecified, result.Kind);
        Assert.Equal(StatusCode.Unset, result.Status.Code);
    }

    [Fact]
    public void Eight_megabyte_string_value_decodes()
    {
        var big = new string('v', 8 * 1024 * 1024);
        var spans = new[] { SampleSpans.Simple(0) };
        var withBig = new Span { TraceId = spans[0].TraceId, SpanId = spans[0].SpanId, Name = "big", Attributes = [new("payload", big)] };

        var decoded = Decode(WireModel.ToWire([withBig]).ToByteArray());

        Assert.Equal(big, Assert.Single(decoded.Spans).Attributes[0].Value.AsString());
    }

    [Fact]
    public void Three_hundred_thousand_tiny_attributes_decode_within_bounded_memory()
    {
        const int Count = 300_000;
        var attribute = LenField(9, StringField(1, "k"), LenField(2, VarintField(3, 1)));
        var attributes = new byte[attribute.Length * Count];
        for (var i = 0; i < Count; i++) attribute.CopyTo(attributes, i * attribute.Length);
        var body = Request("s", SpanMessage(Id(16), Id(8), "wide", null, attributes));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = Decode(body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var span = Assert.Single(decoded.Spans);
        Assert.Equal(Count, span.Attributes.Length);
        Assert.All(span.Attributes, a => Assert.Same(span.Attributes[0].Key, a.Key));
        // The result itself is 32 bytes per attribute; growing the scratch stack by doubling costs
        // at most twice that again, and nothing else may grow with the attribute count.
        Assert.True(allocated < 160L * Count, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_array_value_sent_in_many_pieces_is_merged_within_memory_linear_in_the_pieces(bool repeatedInOneAnyValue)
    {
        // Protobuf merges repeated occurrences of an embedded message, so each piece extends the
        // array. Re-copying the array per piece would allocate 20,000² / 2 elements (3 GB here).
        const int Pieces = 20_000;
        var piece = LenField(5, LenField(1, VarintField(3, 7)));
        var pieces = Enumerable.Repeat(piece, Pieces).ToArray();
        var attribute = repeatedInOneAnyValue
            ? LenField(9, StringField(1, "k"), LenField(2, pieces))
            : LenField(9, [StringField(1, "k"), .. pieces.Select(p => LenField(2, p))]);
        var body = Request("s", SpanMessage(Id(16), Id(8), "pieces", null, attribute));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = Decode(body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var value = Assert.Single(Assert.Single(decoded.Spans).Attributes).Value;
        Assert.Equal(Pieces, value.AsArray().Length);
        Assert.All(value.AsArray(), element => Assert.Equal(AttributeValue.FromInt(7), element));
        // Each piece is one small array and one slot in the growing list; the result is 16 bytes an element.
        Assert.True(allocated < 200L * Pieces, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Decode_honours_a_custom_value_depth_limit()
    {
        KeyValue Nested(int depth)
        {
            var value = AttributeValue.FromString("leaf");
            for (var i = 0; i < depth; i++) value = i % 2 == 0 ? AttributeValue.FromArray([value]) : AttributeValue.FromKeyValueList([new("k", value)]);
            return new KeyValue("nested", value);
        }
        byte[] BodyWith(int depth) => WireModel.ToWire([new Span { TraceId = SampleSpans.TraceA, SpanId = new SpanId(1), Name = "n", Attributes = [Nested(depth)] }]).ToByteArray();
        var limits = new DecodeLimits { MaxValueDepth = 3 };

        Assert.Single(Decode(BodyWith(3), limits).Spans);
        var error = Assert.Throws<ProtocolException>(() => Decode(BodyWith(4), limits));
        Assert.Contains("nested deeper than 3", error.Message);
        Assert.Contains("MaxValueDepth", error.Message);
    }
}
