using Threadline.Core.Model;
using Threadline.Query.Analysis;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.Analysis;

public sealed class RedServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Resource Checkout = AggregateSpans.Service("checkout");
    private static readonly Resource Worker = AggregateSpans.Service("worker");
    private readonly AggregateSpans _spans = new();

    private static AnalysisRange Minutes(int from, int to, int step) =>
        new(AggregateSpans.Origin + (ulong)from * AggregateSpans.Minute, AggregateSpans.Origin + (ulong)to * AggregateSpans.Minute, step);

    /// <summary>
    /// checkout: three SERVER spans in minute 0 (10, 20, 30 ms; the 30 ms one failed), one CONSUMER
    /// in minute 2 (100 ms), and CLIENT and INTERNAL spans that RED of the service must not count.
    /// worker: INTERNAL spans only.
    /// </summary>
    private async Task<RedService> ServiceAsync()
    {
        var store = new MemoryTraceStore();
        await store.AppendAsync(
        [
            _spans.Make(Checkout, "POST /checkout", SpanKind.Server, 0, 10),
            _spans.Make(Checkout, "POST /checkout", SpanKind.Server, 0.1, 20),
            _spans.Make(Checkout, "POST /checkout", SpanKind.Server, 0.2, 30, StatusCode.Error),
            _spans.Make(Checkout, "order-placed process", SpanKind.Consumer, 2, 100),
            _spans.Make(Checkout, "SELECT orders", SpanKind.Client, 0, 5),
            _spans.Make(Checkout, "SELECT orders", SpanKind.Client, 0, 5),
            _spans.Make(Checkout, "SELECT orders", SpanKind.Client, 1, 5, StatusCode.Error),
            _spans.Make(Checkout, "render", SpanKind.Internal, 0, 1),
            _spans.Make(Worker, "tick", SpanKind.Internal, 1, 40),
            _spans.Make(Worker, "tick", SpanKind.Internal, 1, 60, StatusCode.Error),
        ], None);
        return new RedService(store);
    }

    [Fact]
    public async Task Service_red_counts_its_server_and_consumer_spans_per_step()
    {
        var red = await ServiceAsync();

        var series = await red.GetServiceRedAsync("checkout", Minutes(0, 4, 1), None);

        Assert.Equal((4L, 1L), (series.Total.Count, series.Total.ErrorCount));
        Assert.Equal(4 / 240.0, series.Total.RatePerSecond, 12);
        Assert.Equal(0.25, series.Total.ErrorRatio);
        Assert.Equal([3L, 0L, 1L, 0L], series.Points.Select(p => p.Figures.Count));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => AggregateSpans.Origin + (ulong)i * AggregateSpans.Minute), series.Points.Select(p => p.StartUnixNano));
        var first = series.Points[0].Figures;
        Assert.Equal(3 / 60.0, first.RatePerSecond, 12);
        Assert.Equal(1 / 3.0, first.ErrorRatio, 12);
        Assert.Equal(20.0 * AggregateSpans.Millisecond, first.P50Nanos!.Value, 0.2 * AggregateSpans.Millisecond);
        // Quantiles are of rank ⌊q·(n−1)⌋: of three spans, p99 is the middle one.
        Assert.Equal(20.0 * AggregateSpans.Millisecond, first.P99Nanos!.Value, 0.2 * AggregateSpans.Millisecond);
        Assert.Null(series.Points[1].Figures.P50Nanos);
        Assert.Equal(100.0 * AggregateSpans.Millisecond, series.Points[2].Figures.P95Nanos!.Value, 1.0 * AggregateSpans.Millisecond);
    }

    [Fact]
    public async Task A_service_without_entry_points_counts_all_its_spans_and_an_unknown_one_counts_nothing()
    {
        var red = await ServiceAsync();

        var worker = await red.GetServiceRedAsync("worker", Minutes(0, 4, 2), None);
        Assert.Equal((2L, 1L), (worker.Total.Count, worker.Total.ErrorCount));
        Assert.Equal([2L, 0L], worker.Points.Select(p => p.Figures.Count));
        Assert.Equal(40.0 * AggregateSpans.Millisecond, worker.Total.P50Nanos!.Value, 0.4 * AggregateSpans.Millisecond);

        var unknown = await red.GetServiceRedAsync("nobody", Minutes(0, 4, 1), None);
        Assert.Equal(0, unknown.Total.Count);
        Assert.Null(unknown.Total.P99Nanos);
        Assert.Equal(4, unknown.Points.Count);
        Assert.All(unknown.Points, p => Assert.Equal(RedFigures.Empty, p.Figures));
    }

    [Fact]
    public async Task Operations_red_merges_status_codes_per_name_and_kind_busiest_first()
    {
        var red = await ServiceAsync();

        var operations = await red.GetOperationsRedAsync("checkout", Minutes(0, 4, 1), 10, None);

        Assert.False(operations.Truncated);
        Assert.Equal(
        [
            ("POST /checkout", SpanKind.Server, 3L, 1L),
            ("SELECT orders", SpanKind.Client, 3L, 1L),
            ("order-placed process", SpanKind.Consumer, 1L, 0L),
            ("render", SpanKind.Internal, 1L, 0L),
        ], operations.Operations.Select(o => (o.Name, o.Kind, o.Series.Total.Count, o.Series.Total.ErrorCount)));
        Assert.Equal([2L, 1L, 0L, 0L], operations.Operations[1].Series.Points.Select(p => p.Figures.Count));

        var top = await red.GetOperationsRedAsync("checkout", Minutes(0, 4, 1), 2, None);
        Assert.True(top.Truncated);
        Assert.Equal(["POST /checkout", "SELECT orders"], top.Operations.Select(o => o.Name));
    }

    [Fact]
    public async Task A_last_step_shorter_than_the_step_divides_by_the_minutes_it_covers()
    {
        var red = await ServiceAsync();

        var series = await red.GetServiceRedAsync("checkout", Minutes(0, 3, 2), None);

        Assert.Equal([3L, 1L], series.Points.Select(p => p.Figures.Count));
        Assert.Equal(3 / 120.0, series.Points[0].Figures.RatePerSecond, 12);
        Assert.Equal(1 / 60.0, series.Points[1].Figures.RatePerSecond, 12);
    }
}
