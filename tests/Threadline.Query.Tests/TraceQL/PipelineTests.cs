using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using static Threadline.Query.Tests.TraceQL.StructuralOperatorTests;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>Pipelines on <see cref="CheckoutTrace"/>: aggregates with comparisons, by(), coalesce(), select(), chained filters.</summary>
public sealed class PipelineTests
{
    // Client spans last 20, 5 and 10 ms: count 3, avg 11.67 ms, min 5 ms, max 20 ms, sum 35 ms.
    [Theory]
    [InlineData("{ } | count() > 5", true)]
    [InlineData("{ } | count() > 6", false)]
    [InlineData("count() = 6", true)]
    [InlineData("{ kind = client } | count() = 3", true)]
    [InlineData("{ kind = client } | avg(duration) > 11ms", true)]
    [InlineData("{ kind = client } | avg(duration) > 12ms", false)]
    [InlineData("{ kind = client } | min(duration) = 5ms", true)]
    [InlineData("{ kind = client } | max(duration) = 20ms", true)]
    [InlineData("{ kind = client } | sum(duration) = 35ms", true)]
    [InlineData("{ kind = client } | sum(duration) > 35ms", false)]
    [InlineData("{ } | sum(span.size) = 12", true)]
    [InlineData("{ } | avg(span.size) = 6", true)]
    [InlineData("{ } | max(span.size) < 7", false)]
    [InlineData("{ } | avg(span.size * 2) = 12", true)]
    [InlineData("{ kind = client } | max(duration) > 2 * min(duration)", true)]
    [InlineData("{ kind = client } | max(duration) > 5 * min(duration)", false)]
    [InlineData("{ kind = client } | count() + 1 = 4", true)]
    [InlineData("{ kind = client } | avg(span.missing) > 0", false)]
    public async Task Aggregates_compare_as_worked_out_by_hand(string query, bool matches)
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request(query), CancellationToken.None);

        Assert.Equal(matches, result.Traces.Count == 1);
    }

    [Fact]
    public async Task Aggregate_values_are_named_as_tempo_names_them()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ kind = client } | avg(duration) > 1ms | count() > 1"), CancellationToken.None);

        var spanset = Assert.Single(Assert.Single(result.Traces).Spansets);
        Assert.Equal(
            [new TraceQLAttribute("avg(duration)", "11.666666ms"), new TraceQLAttribute("count()", 3)],
            spanset.Attributes);
    }

    [Fact]
    public async Task By_splits_spansets_and_names_the_group()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ } | by(resource.service.name) | count() > 1"), CancellationToken.None);

        var groups = Assert.Single(result.Traces).Spansets
            .Select(s => (Service: s.Attributes[0].Value.AsString(), Count: s.Attributes[1].Value.AsInt(), s.Matched))
            .OrderBy(g => g.Service, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([("checkout", 3L, 3), ("payments", 2L, 2)], groups);
        Assert.All(result.Traces[0].Spansets, s => Assert.Equal("by(resource.service.name)", s.Attributes[0].Name));
    }

    [Fact]
    public async Task Coalesce_merges_the_groups_again()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ } | by(resource.service.name) | coalesce()"), CancellationToken.None);

        var spanset = Assert.Single(Assert.Single(result.Traces).Spansets);
        Assert.Equal(6, spanset.Matched);
    }

    [Fact]
    public async Task A_later_filter_narrows_the_spanset()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ kind = client } | { status = error }"), CancellationToken.None);

        Assert.Equal(Sorted("cache get,INSERT"), Sorted(SpanNames(result)));
    }

    [Fact]
    public async Task Spans_carry_what_the_query_tests_and_selects_under_tempo_names()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(
            CheckoutTrace.Request("{ name = \"SELECT\" && status != error } | select(span.db.system, resource.service.name, kind, duration)"),
            CancellationToken.None);

        var span = Assert.Single(Assert.Single(Assert.Single(result.Traces).Spansets).Spans);
        Assert.Equal(
            [new TraceQLAttribute("status", "unset"), new TraceQLAttribute("db.system", "sqlite"),
             new TraceQLAttribute("service.name", "checkout"), new TraceQLAttribute("kind", "client")],
            span.Attributes);
        Assert.Equal((new SpanId(4), "SELECT", CheckoutTrace.Start + (3 * CheckoutTrace.Millisecond), 20 * CheckoutTrace.Millisecond),
            (span.SpanId, span.Name, span.StartUnixNano, span.DurationNanos));
    }

    [Fact]
    public async Task Spans_per_spanset_keeps_the_newest_spans_and_counts_all()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ }", spss: 2), CancellationToken.None);

        var trace = Assert.Single(result.Traces);
        var spanset = Assert.Single(trace.Spansets);
        Assert.Equal(6, spanset.Matched);
        Assert.Equal(["INSERT", "cache get"], spanset.Spans.Select(s => s.Name));
        Assert.Equal((CheckoutTrace.TraceId, "frontend", "GET /checkout", CheckoutTrace.Start, 100 * CheckoutTrace.Millisecond),
            (trace.TraceId, trace.RootServiceName, trace.RootSpanName, trace.StartUnixNano, trace.DurationNanos));
    }

    [Theory]
    [InlineData("{ kind = client }")]
    [InlineData("{ } >> { kind = client }")]
    public async Task Traces_come_newest_first_up_to_the_limit(string query)
    {
        var traces = Enumerable.Range(0, 5)
            .Select(i => CheckoutTrace.Spans(new TraceId(0x77, (ulong)i + 1), offset: (ulong)i * 1000))
            .ToArray();
        var engine = await CheckoutTrace.EngineAsync(traces);

        var result = await engine.SearchAsync(CheckoutTrace.Request(query, limit: 3), CancellationToken.None);

        Assert.Equal([new TraceId(0x77, 5), new TraceId(0x77, 4), new TraceId(0x77, 3)], result.Traces.Select(t => t.TraceId));
    }
}
