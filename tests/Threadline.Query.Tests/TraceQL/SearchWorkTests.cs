using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using static Threadline.Query.Tests.TraceQL.StructuralOperatorTests;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>How much store work a search does: fetches per query, whole traces loaded.</summary>
public sealed class SearchWorkTests
{
    private static async Task<(CountingStore Store, TraceQLEngine Engine)> ArrangeAsync(int traces)
    {
        var store = new CountingStore();
        for (var i = 0; i < traces; i++) await store.AppendAsync(CheckoutTrace.Spans(new TraceId(0x55, (ulong)i + 1), (ulong)i * 1000), CancellationToken.None);
        return (store, new TraceQLEngine(store, new TraceQLOptions()));
    }

    [Fact]
    public async Task A_plain_filter_is_one_fetch_and_no_trace_load()
    {
        var (store, engine) = await ArrangeAsync(3);

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ span.db.system = \"sqlite\" } | count() > 1"), CancellationToken.None);

        Assert.Equal(3, result.Traces.Count);
        Assert.Equal((1, 0), (store.Fetches, store.TraceLoads));
    }

    [Fact]
    public async Task Both_sides_of_a_structural_query_are_found_in_one_fetch_when_spans_answer_them()
    {
        var (store, engine) = await ArrangeAsync(3);

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ resource.service.name = \"frontend\" } >> { span.db.system = \"sqlite\" }"), CancellationToken.None);

        Assert.Equal(3, result.Traces.Count);
        Assert.Equal(1, store.Fetches);
    }

    [Fact]
    public async Task A_side_fetched_spans_cannot_answer_gets_its_own_fetch()
    {
        var (store, engine) = await ArrangeAsync(1);

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ kind = client && event:name = \"exception\" } ~ { kind = client }"), CancellationToken.None);

        Assert.Equal("SELECT", Sorted(SpanNames(result)));
        Assert.Equal(2, store.Fetches);
    }

    [Fact]
    public async Task Candidates_that_cannot_match_are_never_loaded()
    {
        var (store, engine) = await ArrangeAsync(3);

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ resource.service.name = \"frontend\" } >> { span.db.system = \"postgresql\" }"), CancellationToken.None);

        Assert.Empty(result.Traces);
        Assert.Equal(0, store.TraceLoads);
    }

    [Fact]
    public async Task Whole_traces_are_loaded_newest_first_only_until_the_limit()
    {
        var (store, engine) = await ArrangeAsync(5);

        var result = await engine.SearchAsync(CheckoutTrace.Request("{ } > { kind = client }", limit: 2), CancellationToken.None);

        Assert.Equal([new TraceId(0x55, 5), new TraceId(0x55, 4)], result.Traces.Select(t => t.TraceId));
        Assert.Equal(2, store.TraceLoads);
        Assert.Equal(2, result.Statistics.InspectedTraces);
    }
}
