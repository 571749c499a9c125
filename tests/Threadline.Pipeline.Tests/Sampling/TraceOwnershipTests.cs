using Threadline.Core.Model;
using Threadline.Pipeline.Sampling.Forwarding;

namespace Threadline.Pipeline.Tests.Sampling;

public sealed class TraceOwnershipTests
{
    private static readonly string[] Three = ["http://10.0.0.1:4318", "http://10.0.0.2:4318", "http://10.0.0.3:4318"];
    private readonly Traces _traces = new();

    [Fact]
    public void Traces_are_shared_about_equally_and_every_node_agrees_whatever_the_list_order()
    {
        var ownership = new TraceOwnership(Three);
        var reordered = new TraceOwnership([Three[2], Three[0], Three[1]]);
        var ids = Enumerable.Range(0, 30_000).Select(_ => _traces.NewTraceId()).ToList();

        var counts = ids.GroupBy(id => ownership.Members[ownership.OwnerOf(id)]).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(Three, member => Assert.InRange(counts[member], 9_000, 11_000));
        Assert.All(ids, id => Assert.Equal(ownership.Members[ownership.OwnerOf(id)], reordered.Members[reordered.OwnerOf(id)]));
    }

    [Fact]
    public void A_node_leaving_moves_only_the_traces_it_owned()
    {
        var before = new TraceOwnership(Three);
        var after = new TraceOwnership([Three[0], Three[2]]);
        var ids = Enumerable.Range(0, 30_000).Select(_ => _traces.NewTraceId()).ToList();

        var moved = 0;
        foreach (var id in ids)
        {
            var was = before.Members[before.OwnerOf(id)];
            var now = after.Members[after.OwnerOf(id)];
            if (was != Three[1]) Assert.Equal(was, now);
            else moved++;
        }
        Assert.InRange(moved, 9_000, 11_000);
    }

    [Fact]
    public async Task The_forwarder_refuses_the_batch_when_the_owner_cannot_be_reached()
    {
        var members = new[] { "http://127.0.0.1:1", "http://127.0.0.1:2" };
        var ownership = new TraceOwnership(members);
        var local = new RecordingStage();
        using var http = new HttpClient(new RefusingHandler());
        var forwarder = new SpanForwarder(ownership, members[0], local, http);
        var mine = Enumerable.Range(0, 100).Select(_ => _traces.Trace(children: 0)).First(t => ownership.OwnerOf(t[0].TraceId) == 0);
        var theirs = Enumerable.Range(0, 100).Select(_ => _traces.Trace(children: 0)).First(t => ownership.OwnerOf(t[0].TraceId) == 1);

        await forwarder.ConsumeAsync(mine, CancellationToken.None);
        Assert.Single(local.Spans);
        var error = await Assert.ThrowsAsync<SpanForwardingException>(async () => await forwarder.ConsumeAsync(theirs, CancellationToken.None));

        Assert.Contains("http://127.0.0.1:2", error.Message);
        Assert.Single(local.Spans);
    }

    [Fact]
    public void A_member_that_is_not_an_http_address_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SpanForwarder.TracesUri("10.0.0.1:4318"));
        Assert.Contains("10.0.0.1:4318", error.Message);
        Assert.Equal("http://10.0.0.1:4318/v1/traces", SpanForwarder.TracesUri("http://10.0.0.1:4318/").ToString());
    }

    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (127.0.0.1:2)");
    }
}
