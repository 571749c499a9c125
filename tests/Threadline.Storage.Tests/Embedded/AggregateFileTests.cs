using System.Buffers.Binary;
using System.Text;
using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Embedded;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>
/// The aggregates files keep the new connection types without a format change (a byte that
/// older servers wrote as 0 or 1 only), and a byte no version defines reads as damage.
/// </summary>
public sealed class AggregateFileTests : IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();
    private readonly SpanFactory _spans = new();

    public void Dispose() => _directory.Dispose();

    private EmbeddedStoreOptions Options => new() { DataDirectory = _directory.Path, Retention = EmbeddedConformance.TestRetention };

    private static readonly AggregateQuery AllMinutes = new() { StartTimeUnixNano = SpanFactory.Epoch, EndTimeUnixNano = SpanFactory.At(3_600_000) };

    // A database, an external host and a destination nobody answered, written out as a block and its aggregates file.
    private async Task WriteVirtualEdgesAsync()
    {
        var clock = new ManualClock();
        await using var store = EmbeddedTraceStore.Open(Options, time: clock);
        await store.AppendAsync(
        [
            _spans.Make(_spans.NewTraceId(), "SELECT", SpanFactory.Checkout, kind: SpanKind.Client, attributes: [new("db.system", "postgresql"), new("db.name", "shop")]),
            _spans.Make(_spans.NewTraceId(), "POST", SpanFactory.Checkout, kind: SpanKind.Client, attributes: [new("server.address", "api.stripe.com")]),
            _spans.Make(_spans.NewTraceId(), "publish", SpanFactory.Checkout, kind: SpanKind.Producer, attributes: [new("messaging.system", "kafka"), new("messaging.destination.name", "orders")]),
        ], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(11));
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "tick", SpanFactory.Payments, kind: SpanKind.Internal)], CancellationToken.None);
        await store.FlushAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Virtual_edges_survive_a_restart_through_the_aggregates_file()
    {
        await WriteVirtualEdgesAsync();

        await using var reopened = EmbeddedTraceStore.Open(Options);
        var edges = await reopened.GetServiceGraphAsync(AllMinutes, CancellationToken.None);

        Assert.Equal(
        [
            new ServiceGraphKey("checkout", "db:postgresql/shop", ConnectionType.Database),
            new ServiceGraphKey("checkout", "external:api.stripe.com", ConnectionType.External),
            new ServiceGraphKey("checkout", "messaging:kafka/orders", ConnectionType.MessagingSystem),
        ], edges.Select(e => e.Key).OrderBy(k => k.Callee, StringComparer.Ordinal));
        // The types older servers wrote keep their byte values, so their files read unchanged.
        Assert.Equal((0, 1), ((int)ConnectionType.Call, (int)ConnectionType.Messaging));
    }

    [Fact]
    public async Task An_unknown_connection_type_in_an_aggregates_file_is_reported_as_damage()
    {
        await WriteVirtualEdgesAsync();
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "aggregates"), "*.agg"));
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)), Crc32C(bytes.AsSpan(0, bytes.Length - 4)));
        // The type byte follows the callee's name; the checksum is made good again so only the type is wrong.
        var callee = Encoding.UTF8.GetBytes("db:postgresql/shop");
        var at = bytes.AsSpan().IndexOf(callee) + callee.Length;
        Assert.Equal((byte)ConnectionType.Database, bytes[at]);
        bytes[at] = 200;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C(bytes.AsSpan(0, bytes.Length - 4)));
        File.WriteAllBytes(file, bytes);

        await using var reopened = EmbeddedTraceStore.Open(Options);

        Assert.True(File.Exists(file + ".corrupt"));
        Assert.Empty(await reopened.GetServiceGraphAsync(AllMinutes, CancellationToken.None));
    }

    // CRC-32C (Castagnoli, reflected), bit by bit: slow and obviously right, for a test.
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
