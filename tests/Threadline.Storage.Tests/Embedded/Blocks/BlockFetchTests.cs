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
                return random.Next(3) switch
                {
                    0 => Make(ConditionScope.Intrinsic, Intrinsics.Name, op is ConditionOperator.Exists ? ConditionOperator.Equal : op, StaticValue.String(span.Name)),
                    1 => Make(ConditionScope.Intrinsic, Intrinsics.ServiceName, op is ConditionOperator.Exists ? ConditionOperator.Equal : op, StaticValue.String(span.ServiceName)),
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
