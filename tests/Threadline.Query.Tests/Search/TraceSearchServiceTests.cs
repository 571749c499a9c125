using Threadline.Core.Model;
using Threadline.Query.Search;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.Search;

public sealed class TraceSearchServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TraceId Trace = new(0x4bf92f3577b34da6, 0xa3ce929d0e0e4736);
    private const ulong Start = 1_700_000_000_000_000_000;

    [Fact]
    public async Task Reads_the_trace_search_and_catalogs_from_the_store()
    {
        var service = await ServiceWithOneTraceAsync();

        Assert.Equal(2, (await service.GetTraceAsync(Trace, None)).Count);
        Assert.Equal(Trace, Assert.Single(await service.SearchAsync(new TraceQuery { ServiceName = "checkout" }, None)).TraceId);
        Assert.Equal(["checkout"], await service.GetServicesAsync(None));
        Assert.Equal([new Operation("GET /cart", SpanKind.Server), new Operation("SELECT carts", SpanKind.Client)], await service.GetOperationsAsync("checkout", None));
        Assert.Contains("db.system", await service.GetTagKeysAsync(None));
        Assert.Equal(["postgresql"], await service.GetTagValuesAsync("db.system", 1, None));
    }

    [Fact]
    public async Task An_open_ended_time_range_is_searched()
    {
        var service = await ServiceWithOneTraceAsync();

        Assert.Single(await service.SearchAsync(new TraceQuery { StartTimeUnixNano = Start, EndTimeUnixNano = 0 }, None));
    }

    public static TheoryData<TraceQuery> OutOfBounds => new()
    {
        new TraceQuery { Limit = 0 },
        new TraceQuery { Limit = TraceSearchService.MaxSearchLimit + 1 },
        new TraceQuery { Limit = int.MinValue },
        new TraceQuery { MinDurationNanos = 2, MaxDurationNanos = 1 },
        new TraceQuery { StartTimeUnixNano = 2, EndTimeUnixNano = 1 },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task A_search_outside_the_bounds_is_refused_whoever_built_it(TraceQuery query)
    {
        var service = await ServiceWithOneTraceAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await service.SearchAsync(query, None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(TraceSearchService.MaxTagValuesLimit + 1)]
    public async Task A_tag_values_limit_outside_the_bounds_is_refused(int limit)
    {
        var service = await ServiceWithOneTraceAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await service.GetTagValuesAsync("db.system", limit, None));
    }

    private static async Task<TraceSearchService> ServiceWithOneTraceAsync()
    {
        var store = new MemoryTraceStore();
        var resource = new Resource([new("service.name", "checkout")]);
        await store.AppendAsync(
        [
            new Span { TraceId = Trace, SpanId = new SpanId(1), Name = "GET /cart", Kind = SpanKind.Server, StartTimeUnixNano = Start, EndTimeUnixNano = Start + 150_000_000, Resource = resource },
            new Span
            {
                TraceId = Trace, SpanId = new SpanId(2), ParentSpanId = new SpanId(1), Name = "SELECT carts", Kind = SpanKind.Client,
                StartTimeUnixNano = Start + 10, EndTimeUnixNano = Start + 20, Resource = resource, Attributes = [new("db.system", "postgresql")],
            },
        ], None);
        return new TraceSearchService(store);
    }
}
