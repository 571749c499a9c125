using Threadline.Core.Model;
using Threadline.Storage.Embedded.Blocks;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Tests.Embedded.Blocks;

public sealed class BlockFetchTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Fetch_never_misses_a_matching_span_for_many_random_conditions()
    {
        var random = new RandomSpans(21);
        var spans = Enumerable.Range(0, 80).SelectMany(i => random.Trace(1 + i % 12)).ToArray();
        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 30 }, CancellationToken.None);
        var conditions = new ConditionPicker(new Random(99), spans);

        for (var round = 0; round < 200; round++)
        {
            var request = conditions.Request();
            var expected = spans.Where(s => request.InRange(s.StartTimeUnixNano) && Passes(request, s)).Select(s => s.SpanId).ToHashSet();
            var fetched = block.Fetch(request, CancellationToken.None).ToArray();
            var returned = fetched.SelectMany(f => f.Spanset.Spans).Select(s => s.SpanId).ToHashSet();
            Assert.True(expected.IsSubsetOf(returned), $"round {round}: {request.Conditions.Count} conditions ({string.Join(request.AllConditions ? " && " : " || ", request.Conditions)}) missed {expected.Except(returned).Count()} spans");
            foreach (var set in fetched.Select(f => f.Spanset))
            {
                var trace = spans.Where(s => s.TraceId == set.TraceId).ToArray();
                Assert.Equal(trace.Min(s => s.StartTimeUnixNano), set.TraceStartUnixNano);
                Assert.Equal(set.Spans.OrderBy(s => s.StartTimeUnixNano).Select(s => s.SpanId), set.Spans.Select(s => s.SpanId));
            }
        }
    }

    [Fact]
    public void Fetch_returns_trace_fields_the_requested_attributes_and_whether_the_root_was_seen()
    {
        var factory = new SpanFactory();
        var whole = factory.CheckoutTrace(factory.NewTraceId(), paymentsFails: true);
        var piece = factory.CheckoutTrace(factory.NewTraceId())[1..];
        using var block = BlockWriter.Write(_directory.Path, [.. whole, .. piece], new BlockWriteOptions(), CancellationToken.None);

        var request = new FetchSpansRequest
        {
            Conditions =
            [
                new Condition(ConditionScope.Intrinsic, Intrinsics.Name, ConditionOperator.Equal, StaticValue.String("PlaceOrder")),
                Condition.Select(ConditionScope.Span, "order.items"),
            ],
        };
        var results = block.Fetch(request, CancellationToken.None).ToDictionary(r => r.Spanset.TraceId);

        var complete = results[whole[0].TraceId];
        Assert.True(complete.RootSeen);
        Assert.Equal("frontend", complete.Spanset.RootServiceName);
        Assert.Equal("POST /checkout", complete.Spanset.RootSpanName);
        Assert.Equal(whole[0].StartTimeUnixNano, complete.Spanset.TraceStartUnixNano);
        Assert.Equal(whole.Max(s => s.EndTimeUnixNano), complete.Spanset.TraceEndUnixNano);
        var span = Assert.Single(complete.Spanset.Spans);
        Assert.Equal(whole[1].SpanId, span.SpanId);
        Assert.Equal(StatusCode.Error, span.Status.Code);
        Assert.Equal([new FetchedAttribute(ConditionScope.Span, "order.items", 3)], span.Attributes);

        var partial = results[piece[0].TraceId];
        Assert.False(partial.RootSeen);
        Assert.Equal("checkout", partial.Spanset.RootServiceName);
    }

    [Fact]
    public void Search_by_one_attribute_value_decodes_only_the_row_groups_that_may_hold_it()
    {
        var factory = new SpanFactory();
        var spans = new List<Span>();
        for (var i = 0; i < 400; i++)
        {
            var trace = factory.NewTraceId();
            spans.Add(factory.Make(trace, "GET /cart", startMs: i, attributes: [new("user.id", $"user-{i}"), new("http.response.status_code", 200 + i % 7)]));
        }
        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 10 }, CancellationToken.None);
        Assert.Equal(40, block.Meta.RowGroupCount);

        var before = block.RowGroupsDecoded;
        var byUser = block.Fetch(Where(ConditionScope.Any, "user.id", StaticValue.String("user-123")), CancellationToken.None).ToArray();
        var decoded = block.RowGroupsDecoded - before;

        Assert.Equal(spans[123].SpanId, Assert.Single(byUser).Spanset.Spans.Single().SpanId);
        Assert.InRange(decoded, 1, 4);

        // Integers find doubles and the other way round, as the evaluator compares them.
        before = block.RowGroupsDecoded;
        var byStatus = block.Fetch(Where(ConditionScope.Span, "http.response.status_code", StaticValue.Double(203.0)), CancellationToken.None).ToArray();
        Assert.Equal(spans.Count(s => s.Attributes[1].Value.AsInt() == 203), byStatus.Sum(r => r.Spanset.Spans.Count));

        // A time range outside the block, or a service it does not hold, decodes nothing.
        before = block.RowGroupsDecoded;
        Assert.Empty(block.Fetch(new FetchSpansRequest { StartTimeUnixNano = SpanFactory.At(10_000) }, CancellationToken.None));
        Assert.Empty(block.Fetch(Where(ConditionScope.Intrinsic, Intrinsics.ServiceName, StaticValue.String("nowhere")), CancellationToken.None));
        Assert.Equal(before, block.RowGroupsDecoded);

        // A time range covering a tenth of the spans decodes about a tenth of the row groups.
        var window = block.Fetch(new FetchSpansRequest { StartTimeUnixNano = SpanFactory.At(100), EndTimeUnixNano = SpanFactory.At(140) }, CancellationToken.None).ToArray();
        Assert.Equal(40, window.Sum(r => r.Spanset.Spans.Count));
    }

    [Fact]
    public void The_two_pass_fetch_returns_exactly_the_spansets_a_whole_decode_would()
    {
        var random = new RandomSpans(22);
        var spans = Enumerable.Range(0, 90).SelectMany(i => random.Trace(1 + i % 9)).ToArray();
        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 25 }, CancellationToken.None);
        var conditions = new ConditionPicker(new Random(7), spans);

        for (var round = 0; round < 300; round++)
        {
            var request = conditions.Request();
            var expected = spans.GroupBy(s => s.TraceId).OrderBy(t => t.Key)
                .Select(trace => Describe(trace.Key, [.. trace], [.. trace.Where(s => request.InRange(s.StartTimeUnixNano) && Passes(request, s)).Select(s => SpanMatching.ToSpansetSpan(s, request.Conditions))]))
                .Where(d => d is not null);
            var fetched = block.Fetch(request, CancellationToken.None).Select(f => f.Spanset)
                .Select(set => Describe(set.TraceId, [.. spans.Where(s => s.TraceId == set.TraceId)], set.Spans, set));
            Assert.True(expected.SequenceEqual(fetched), $"round {round}: {string.Join(request.AllConditions ? " && " : " || ", request.Conditions)}");
        }
    }

    [Fact]
    public void Value_ranges_skip_the_row_groups_that_cannot_hold_a_match_without_reading_them()
    {
        var factory = new SpanFactory();
        var spans = new List<Span>();
        for (var i = 0; i < 400; i++)
        {
            var code = i == 123 ? 503 : 200 + i % 7;
            spans.Add(factory.Make(factory.NewTraceId(), "GET /cart", startMs: i, durationMs: i == 250 ? 5_000 : 10,
                status: i == 300 ? StatusCode.Error : StatusCode.Ok, attributes: [new("http.response.status_code", code)]));
        }
        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 10 }, CancellationToken.None);
        Assert.Equal(40, block.Meta.RowGroupCount);

        AssertDecodes(1, [spans[123]], Range(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500)));
        AssertDecodes(1, [spans[123]], Range(ConditionScope.Any, "http.response.status_code", ConditionOperator.Greater, StaticValue.Double(499.5)));
        AssertDecodes(0, [], Range(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(600)));
        AssertDecodes(0, [], Range(ConditionScope.Span, "http.response.status_code", ConditionOperator.Less, StaticValue.Int(200)));
        AssertDecodes(1, [spans[250]], Range(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.Greater, StaticValue.Duration(1_000_000_000)));
        AssertDecodes(1, [spans[300]], Range(ConditionScope.Intrinsic, Intrinsics.Status, ConditionOperator.Equal, StaticValue.Status(StatusCode.Error)));
        // Either of two ruled-out conditions: nothing; one that is not: the groups it allows.
        AssertDecodes(0, [], new FetchSpansRequest
        {
            AllConditions = false,
            Conditions =
            [
                new Condition(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(600)),
                new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.Greater, StaticValue.Duration(3_600_000_000_000)),
            ],
        });
        AssertDecodes(2, [spans[123], spans[250]], new FetchSpansRequest
        {
            AllConditions = false,
            Conditions =
            [
                new Condition(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500)),
                new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.Greater, StaticValue.Duration(1_000_000_000)),
            ],
        });

        void AssertDecodes(long groups, Span[] expected, FetchSpansRequest request)
        {
            var before = block.RowGroupsDecoded;
            var found = block.Fetch(request, CancellationToken.None).SelectMany(f => f.Spanset.Spans).Select(s => s.SpanId).Order();
            Assert.Equal(expected.Select(s => s.SpanId).Order(), found);
            Assert.Equal(groups, block.RowGroupsDecoded - before);
        }
    }

    [Fact]
    public void A_row_group_without_a_match_decodes_only_the_columns_its_conditions_test()
    {
        var factory = new SpanFactory();
        var spans = Enumerable.Range(0, 100).Select(i => factory.Make(factory.NewTraceId(), $"GET /item/{i}", startMs: i,
            attributes: [new("http.route", "/item/{id}"), new("user.id", $"user-{i}")])).ToArray();
        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 10 }, CancellationToken.None);

        // A regex is not in the blooms: every row group is read, each its start and name columns only.
        var before = block.ColumnsDecoded;
        Assert.Empty(block.Fetch(Range(ConditionScope.Intrinsic, Intrinsics.Name, ConditionOperator.Regex, StaticValue.String("^POST")), CancellationToken.None));
        Assert.Equal(10 * 2, block.ColumnsDecoded - before);

        // A dedicated attribute (never in the generic attributes here) reads its column, not the generic ones.
        before = block.ColumnsDecoded;
        Assert.Empty(block.Fetch(Range(ConditionScope.Span, "http.route", ConditionOperator.Regex, StaticValue.String("^/cart")), CancellationToken.None));
        Assert.Equal(10 * 2, block.ColumnsDecoded - before);
    }

    [Fact]
    public void A_dedicated_key_kept_in_the_generic_attributes_is_still_found()
    {
        var factory = new SpanFactory();
        var trace = factory.NewTraceId();
        var asInt = factory.Make(trace, "int", startMs: 0, attributes: [new("http.response.status_code", 503)]);
        var asText = factory.Make(trace, "text", startMs: 1, attributes: [new("http.response.status_code", "503")]);
        var second = factory.Make(trace, "second", startMs: 2, attributes: [new("http.response.status_code", 200), new("http.response.status_code", 504)]);
        using var block = BlockWriter.Write(_directory.Path, [asInt, asText, second], new BlockWriteOptions(), CancellationToken.None);

        Assert.Equal([asText.SpanId], Found(Range(ConditionScope.Span, "http.response.status_code", ConditionOperator.Equal, StaticValue.String("503"))));
        Assert.Equal(new[] { asInt.SpanId, second.SpanId }.Order(), Found(Range(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500))));
        // Unscoped, a span's first value of the key is the one compared.
        Assert.Equal([asInt.SpanId], Found(Range(ConditionScope.Any, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500))));

        SpanId[] Found(FetchSpansRequest request) =>
            [.. block.Fetch(request, CancellationToken.None).SelectMany(f => f.Spanset.Spans).Select(s => s.SpanId).Order()];
    }

    private static FetchSpansRequest Range(ConditionScope scope, string name, ConditionOperator op, StaticValue value) =>
        new() { Conditions = [new Condition(scope, name, op, value)] };

    // A spanset as text (its spans by start, then id), or null when it has no span.
    private static string? Describe(TraceId traceId, Span[] trace, IReadOnlyList<SpansetSpan> matches, Spanset? set = null)
    {
        if (matches.Count == 0) return null;
        var summary = TraceSummarizer.Summarize(traceId, trace);
        var text = new System.Text.StringBuilder();
        text.Append(traceId).Append(' ').Append(set?.RootServiceName ?? summary.RootServiceName).Append(' ').Append(set?.RootSpanName ?? summary.RootSpanName)
            .Append(' ').Append(set?.TraceStartUnixNano ?? summary.StartTimeUnixNano).Append(' ').Append(set?.TraceEndUnixNano ?? summary.StartTimeUnixNano + summary.DurationNanos);
        foreach (var span in matches.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId))
        {
            text.Append(" | ").Append(span.SpanId).Append(' ').Append(span.ParentSpanId).Append(' ').Append(span.Name).Append(' ').Append(span.ServiceName)
                .Append(' ').Append(span.Kind).Append(' ').Append(span.Status).Append(' ').Append(span.StartTimeUnixNano).Append(' ').Append(span.DurationNanos);
            foreach (var attribute in span.Attributes) text.Append(' ').Append(attribute.Scope).Append(':').Append(attribute.Name).Append('=').Append(attribute.Value.Type).Append(':').Append(attribute.Value);
        }
        return text.ToString();
    }

    [Fact]
    public void Attribute_values_are_typed_distinct_sorted_and_limited()
    {
        var factory = new SpanFactory();
        var trace = factory.NewTraceId();
        Span[] spans =
        [
            factory.Make(trace, "a", startMs: 0, attributes: [new("code", 500), new("code", "500")]),
            factory.Make(trace, "b", startMs: 1, attributes: [new("code", 404), new("code", 500), new("code", 1.5), new("code", true)]),
            factory.Make(trace, "c", startMs: 2, attributes: [new("code", AttributeValue.FromArray([1]))]),
            factory.Make(trace, "d", startMs: 50, attributes: [new("code", 999)]),
        ];
        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions(), CancellationToken.None);

        var values = block.AttributeValues(ConditionScope.Span, "code", SpanFactory.At(0), SpanFactory.At(10), limit: 10);
        Assert.Equal([AttributeValue.FromString("500"), true, 404, 500, 1.5], values);
        Assert.Equal(2, block.AttributeValues(ConditionScope.Span, "code", 0, 0, limit: 2).Count);
        Assert.Empty(block.AttributeValues(ConditionScope.Resource, "code", 0, 0, limit: 10));
        Assert.Equal([AttributeValue.FromString("frontend")], block.AttributeValues(ConditionScope.Resource, "service.name", 0, 0, limit: 10));
    }

    private static FetchSpansRequest Where(ConditionScope scope, string name, StaticValue value) =>
        new() { Conditions = [new Condition(scope, name, ConditionOperator.Equal, value)] };

    private static bool Passes(FetchSpansRequest request, Span span)
    {
        var filters = request.Conditions.Where(c => c.Filters).ToArray();
        if (filters.Length == 0) return true;
        return request.AllConditions ? filters.All(c => ConditionEvaluator.Matches(c, span)) : filters.Any(c => ConditionEvaluator.Matches(c, span));
    }

    /// <summary>Conditions built mostly from values the spans hold, so that they match something.</summary>
    private sealed class ConditionPicker(Random random, IReadOnlyList<Span> spans)
    {
        private static readonly ConditionOperator[] Operators =
        [
            ConditionOperator.Equal, ConditionOperator.Equal, ConditionOperator.Equal, ConditionOperator.NotEqual, ConditionOperator.Less,
            ConditionOperator.GreaterOrEqual, ConditionOperator.Regex, ConditionOperator.Exists, ConditionOperator.None,
        ];

        public FetchSpansRequest Request()
        {
            var conditions = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Next()).ToArray();
            var from = random.Next(3) == 0 ? spans[random.Next(spans.Count)].StartTimeUnixNano : 0;
            return new FetchSpansRequest { Conditions = conditions, AllConditions = random.Next(2) == 0, StartTimeUnixNano = from };
        }

        private Condition Next()
        {
            var span = spans[random.Next(spans.Count)];
            var op = Operators[random.Next(Operators.Length)];
            if (random.Next(4) == 0)
            {
                return random.Next(6) switch
                {
                    0 => Make(ConditionScope.Intrinsic, Intrinsics.Name, op is ConditionOperator.Exists ? ConditionOperator.Equal : op, StaticValue.String(span.Name)),
                    1 => Make(ConditionScope.Intrinsic, Intrinsics.ServiceName, op is ConditionOperator.Exists ? ConditionOperator.Equal : op, StaticValue.String(span.ServiceName)),
                    2 => new Condition(ConditionScope.Intrinsic, Intrinsics.Status, ConditionOperator.Equal, StaticValue.Status(span.Status.Code)),
                    3 => new Condition(ConditionScope.Intrinsic, Intrinsics.Kind, ConditionOperator.Equal, StaticValue.Kind(span.Kind)),
                    4 => new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, random.Next(2) == 0 ? ConditionOperator.LessOrEqual : ConditionOperator.GreaterOrEqual, StaticValue.Duration(span.DurationNanos)),
                    _ => new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.Greater, StaticValue.Duration(span.DurationNanos)),
                };
            }
            var (scope, attributes) = random.Next(5) switch
            {
                0 => (ConditionScope.Resource, span.Resource.Attributes),
                1 => (ConditionScope.Event, span.Events.SelectMany(e => e.Attributes).ToArray()),
                2 => (ConditionScope.Link, span.Links.SelectMany(l => l.Attributes).ToArray()),
                3 => (ConditionScope.Any, span.Attributes),
                _ => (ConditionScope.Span, span.Attributes),
            };
            var scalars = attributes.Where(a => a.Value.Type is AttributeType.String or AttributeType.Int or AttributeType.Double or AttributeType.Bool).ToArray();
            if (scalars.Length == 0) return Condition.Select(scope, "user.id");
            var attribute = scalars[random.Next(scalars.Length)];
            var value = attribute.Value.Type switch
            {
                AttributeType.String => StaticValue.String(attribute.Value.AsString()),
                AttributeType.Int => random.Next(2) == 0 ? StaticValue.Int(attribute.Value.AsInt()) : StaticValue.Double(attribute.Value.AsInt()),
                AttributeType.Double => StaticValue.Double(attribute.Value.AsDouble()),
                _ => StaticValue.Bool(attribute.Value.AsBool()),
            };
            if (op is ConditionOperator.Regex && value.Type != StaticType.String) op = ConditionOperator.Equal;
            if (op is ConditionOperator.Less or ConditionOperator.GreaterOrEqual && value.Type == StaticType.Bool) op = ConditionOperator.Equal;
            if (op is ConditionOperator.Regex) value = StaticValue.String(System.Text.RegularExpressions.Regex.Escape(value.AsString()));
            return Make(scope, attribute.Key.Length == 0 ? "user.id" : attribute.Key, op, value);
        }

        private static Condition Make(ConditionScope scope, string name, ConditionOperator op, StaticValue value) =>
            op is ConditionOperator.None or ConditionOperator.Exists ? new Condition(scope, name, op) : new Condition(scope, name, op, value);
    }
}
