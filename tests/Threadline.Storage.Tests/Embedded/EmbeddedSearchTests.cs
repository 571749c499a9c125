using Threadline.Core.Model;
using Threadline.Storage.Embedded;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>
/// Search over several blocks and a head: blocks are read newest first and the reading stops
/// once enough traces are confirmed, so these pin that the answer is still the newest matching
/// traces, whichever block (or blocks) they are in.
/// </summary>
public sealed class EmbeddedSearchTests : IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();
    private readonly SpanFactory _spans = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(100)]
    public async Task Newest_matching_traces_come_back_across_blocks_and_head(int limit)
    {
        await using var store = EmbeddedTraceStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path, Retention = EmbeddedConformance.TestRetention });
        var matching = new List<(TraceId Id, double StartMs)>();

        // Four blocks of three traces each, later blocks holding later traces; in each block the
        // newest trace is a name that does not match, so confirming a candidate can fail.
        for (var block = 0; block < 4; block++)
        {
            var batch = new List<Span>();
            for (var i = 0; i < 3; i++)
            {
                var startMs = block * 1000 + i * 100;
                var traceId = _spans.NewTraceId();
                var name = i == 2 ? "GET /health" : "GET /cart";
                batch.Add(_spans.Make(traceId, name, SpanFactory.Frontend, startMs));
                if (name == "GET /cart") matching.Add((traceId, startMs));
            }
            await store.AppendAsync(batch, CancellationToken.None);
            await store.FlushAsync(CancellationToken.None);
        }

        // A trace begun in the oldest block and finished in the head: its start is the oldest
        // piece's, although it is first seen in the head.
        var split = _spans.NewTraceId();
        var splitRoot = _spans.Make(split, "GET /cart", SpanFactory.Frontend, startMs: 50);
        await store.AppendAsync([splitRoot], CancellationToken.None);
        await store.FlushAsync(CancellationToken.None);
        await store.AppendAsync([_spans.Make(split, "SELECT cart", SpanFactory.Checkout, startMs: 5000, parent: splitRoot.SpanId, kind: SpanKind.Client)], CancellationToken.None);
        matching.Add((split, 50));

        var found = await store.SearchAsync(new TraceQuery { SpanName = "GET /cart", Limit = limit }, CancellationToken.None);

        var expected = matching.OrderByDescending(m => m.StartMs).Take(limit).Select(m => m.Id).ToArray();
        Assert.Equal(expected, found.Select(t => t.TraceId).ToArray());
        // A trace confirmed is summarised whole, from the block and the head.
        if (found.FirstOrDefault(t => t.TraceId == split) is { } splitSummary) Assert.Equal(2, splitSummary.SpanCount);
        Assert.All(found.Where(t => t.TraceId != split), t => Assert.Equal(1, t.SpanCount));
    }

    [Theory]
    [InlineData("user.id", "u-42")]
    [InlineData("http.response.status_code", "503")]
    [InlineData("cache.hit", "true")]
    [InlineData("payload", "AQID")]
    public async Task Tag_search_in_blocks_finds_values_of_every_type_by_their_text(string key, string text)
    {
        await using var store = EmbeddedTraceStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path, Retention = EmbeddedConformance.TestRetention });
        var wanted = _spans.NewTraceId();
        KeyValue[] attributes =
        [
            new("user.id", AttributeValue.FromString("u-42")),
            new("http.response.status_code", AttributeValue.FromInt(503)),
            new("cache.hit", AttributeValue.FromBool(true)),
            new("payload", AttributeValue.FromBytes([1, 2, 3])),
        ];
        await store.AppendAsync([_spans.Make(wanted, "GET /cart", SpanFactory.Frontend, startMs: 10, attributes: attributes)], CancellationToken.None);
        await store.FlushAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "GET /cart", SpanFactory.Frontend, startMs: 100 + i)], CancellationToken.None);
            await store.FlushAsync(CancellationToken.None);
        }

        var found = await store.SearchAsync(new TraceQuery { Attributes = [new(key, text)] }, CancellationToken.None);

        Assert.Equal([wanted], found.Select(t => t.TraceId).ToArray());
    }
}
