using Threadline.Query.TraceQL;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>A search outside the engine's bounds is refused with a message naming the bound.</summary>
public sealed class SearchBoundsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(0, "The limit must be from 1 to 1000 traces (TraceQLOptions.MaxLimit); got 0.")]
    [InlineData(1001, "The limit must be from 1 to 1000 traces (TraceQLOptions.MaxLimit); got 1001.")]
    public async Task A_limit_outside_its_bound_is_refused(int limit, string message)
    {
        var engine = await CheckoutTrace.EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(async () =>
            await engine.SearchAsync(CheckoutTrace.Request("{ }", limit: limit), None));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Spans_per_spanset_outside_its_bound_is_refused()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(async () =>
            await engine.SearchAsync(CheckoutTrace.Request("{ }", spss: 101), None));

        Assert.Contains("TraceQLOptions.MaxSpansPerSpanset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_range_wider_than_the_bound_is_refused_naming_it()
    {
        var engine = await CheckoutTrace.EngineAsync();
        var request = CheckoutTrace.Request("{ }") with { StartUnixNano = 1, EndUnixNano = 8UL * 24 * 3_600_000_000_000 };

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(async () => await engine.SearchAsync(request, None));

        Assert.Equal("The time range of 8 days is wider than 7 days (TraceQLOptions.MaxSearchRange); narrow start and end.", error.Message);
    }

    [Fact]
    public async Task An_empty_range_is_refused()
    {
        var engine = await CheckoutTrace.EngineAsync();
        var request = CheckoutTrace.Request("{ }") with { StartUnixNano = 10, EndUnixNano = 10 };

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(async () => await engine.SearchAsync(request, None));

        Assert.Contains("end (10) must be after start (10)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_range_is_the_default_range_before_now()
    {
        var store = new MemoryTraceStore();
        await store.AppendAsync(CheckoutTrace.Spans(), None);
        var now = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds((long)(CheckoutTrace.Start / 1_000_000) + 1_800_000));
        var engine = new TraceQLEngine(store, new TraceQLOptions(), now);

        var recent = await engine.SearchAsync(new TraceQLSearchRequest { Query = "{ }" }, None);
        now.Now += TimeSpan.FromHours(2);
        var later = await engine.SearchAsync(new TraceQLSearchRequest { Query = "{ }" }, None);

        Assert.Single(recent.Traces);
        Assert.Empty(later.Traces);
    }

    [Fact]
    public async Task A_metrics_query_is_refused_by_search()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(async () =>
            await engine.SearchAsync(CheckoutTrace.Request("{ } | rate()"), None));

        Assert.Contains("metrics query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_surfaces_with_its_position()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLSyntaxException>(async () =>
            await engine.SearchAsync(CheckoutTrace.Request("{ .a = }"), None));

        Assert.Equal((1, 8), (error.Line, error.Column));
    }

    [Fact]
    public async Task Structural_queries_needing_too_many_whole_traces_are_refused_naming_the_bound()
    {
        var store = new MemoryTraceStore();
        for (var i = 0; i < 5; i++) await store.AppendAsync(CheckoutTrace.Spans(new Core.Model.TraceId(9, (ulong)i + 1), (ulong)i), None);
        var engine = new TraceQLEngine(store, new TraceQLOptions { MaxTracesEvaluated = 3 });

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(async () =>
            await engine.SearchAsync(CheckoutTrace.Request("({ } >> { }) | count() > 100"), None));

        Assert.Contains("TraceQLOptions.MaxTracesEvaluated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_each()
    {
        var options = new TraceQLOptions { MaxLimit = 0, RegexTimeout = TimeSpan.Zero, DefaultSearchRange = TimeSpan.FromDays(30) };

        var problems = options.Problems();

        Assert.Equal(
            ["MaxLimit must be at least 1, got 0.", "RegexTimeout must be positive, got 00:00:00.",
             "DefaultSearchRange (30.00:00:00) must not exceed MaxSearchRange (7.00:00:00)."],
            problems);
        Assert.Throws<ArgumentException>(() => new TraceQLEngine(new MemoryTraceStore(), options));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
