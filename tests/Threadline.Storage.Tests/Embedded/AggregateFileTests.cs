using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Embedded.Format;
using Threadline.Storage.Embedded.Aggregates;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>The aggregates file keeps every connection type, and refuses one it does not know.</summary>
public sealed class AggregateFileTests : IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static TallyRecord Tally(long count)
    {
        var durations = new DurationSketch();
        durations.Add(5_000_000, count);
        return new TallyRecord(count, 0, durations);
    }

    private string Write(AggregateCut cut)
    {
        Directory.CreateDirectory(_directory.Path);
        var path = Path.Combine(_directory.Path, AggregateFile.FileName(1, 2, pending: false));
        File.WriteAllBytes(path, AggregateFile.Encode(cut, "block-1"));
        return path;
    }

    [Fact]
    public void Every_connection_type_round_trips_without_a_format_change()
    {
        ConnectionType[] types = Enum.GetValues<ConnectionType>();
        var edges = types.Select((t, i) => new MinuteEntry<ServiceGraphKey>(100 + i, new ServiceGraphKey("checkout", "node-" + t, t), Tally(i + 1))).ToArray();
        var path = Write(new AggregateCut(1, 2, [], edges));

        var (cut, blockId) = AggregateFile.Read(path);

        Assert.Equal("block-1", blockId);
        Assert.Equal(edges.Select(e => (e.Minute, e.Key, e.Tally.Count)), cut.Edges.Select(e => (e.Minute, e.Key, e.Tally.Count)));
        // The two types older servers wrote keep their byte values, so their files read unchanged.
        Assert.Equal((0, 1), ((int)ConnectionType.Call, (int)ConnectionType.Messaging));
    }

    [Fact]
    public void An_unknown_connection_type_is_reported_as_corruption()
    {
        var path = Write(new AggregateCut(1, 2, [], [new MinuteEntry<ServiceGraphKey>(7, new ServiceGraphKey("a", "b", (ConnectionType)200), Tally(1))]));

        var error = Assert.Throws<StorageCorruptionException>(() => AggregateFile.Read(path));

        Assert.Contains("unknown service-graph connection type 200", error.Message);
    }
}
