using System.Buffers.Binary;
using System.Text;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Blocks;
using Threadline.Storage.Embedded.Format;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Tests.Embedded.Blocks;

/// <summary>
/// A version 1 block (before row-group value ranges and blob-key marks) stays readable: the same
/// answers, without the pruning version 2 added. The version 1 block is made from a version 2
/// one the way version 1 wrote it: the same data.parquet (its format-version entry saying 1),
/// index.bin without the ranges, meta.json saying 1.
/// </summary>
public sealed class BlockVersionOneTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_version_one_block_answers_as_before_without_range_pruning()
    {
        var factory = new SpanFactory();
        var spans = Enumerable.Range(0, 60).Select(i => factory.Make(factory.NewTraceId(), "GET /cart", startMs: i,
            attributes: [new("http.response.status_code", i == 8 ? 503 : 200), new("http.route", i % 2 == 0 ? "/cart" : "/item")])).ToArray();
        string directory;
        using (var current = BlockWriter.Write(Path.Combine(_directory.Path, "v2"), spans, new BlockWriteOptions { RowGroupSpans = 10 }, CancellationToken.None))
        {
            Assert.Equal(StorageFormat.BlockFormatVersion, current.Meta.FormatVersion);
            directory = current.Directory;
        }
        var old = Path.Combine(_directory.Path, "v1", Path.GetFileName(directory));
        DowngradeToVersionOne(directory, old);

        using var block = Block.Open(old);
        Assert.Equal(1, block.Meta.FormatVersion);
        var fiveHundreds = new FetchSpansRequest { Conditions = [new Condition(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500))] };
        var found = block.Fetch(fiveHundreds, CancellationToken.None).SelectMany(f => f.Spanset.Spans).ToArray();
        Assert.Equal(spans[8].SpanId, Assert.Single(found).SpanId);
        // No ranges: every row group is read.
        Assert.Equal(6, block.RowGroupsDecoded);

        var routes = new FetchSpansRequest { Conditions = [new Condition(ConditionScope.Any, "http.route", ConditionOperator.Equal, StaticValue.String("/item")), Condition.Select(ConditionScope.Span, "http.response.status_code")] };
        var items = block.Fetch(routes, CancellationToken.None).SelectMany(f => f.Spanset.Spans).ToArray();
        Assert.Equal(30, items.Length);
        Assert.All(items, s => Assert.Equal(
            [new FetchedAttribute(ConditionScope.Any, "http.route", "/item"), new FetchedAttribute(ConditionScope.Span, "http.response.status_code", 200)], s.Attributes));
        SpanAssert.Equal(spans[3], Assert.Single(block.FindTrace(spans[3].TraceId)));
    }

    private static void DowngradeToVersionOne(string source, string target)
    {
        Directory.CreateDirectory(target);
        var data = File.ReadAllBytes(Path.Combine(source, BlockDirectory.DataFileName));
        var index = File.ReadAllBytes(Path.Combine(source, BlockDirectory.IndexFileName));

        // data.parquet: the footer's format-version value "2" becomes "1" (same length).
        var key = Encoding.UTF8.GetBytes("threadline.block_format_version");
        var at = data.AsSpan().IndexOf(key);
        Assert.True(at > 0);
        var digit = data.AsSpan(at + key.Length).IndexOf((byte)'2') + at + key.Length;
        Assert.InRange(digit - (at + key.Length), 1, 8);
        data[digit] = (byte)'1';
        File.WriteAllBytes(Path.Combine(target, BlockDirectory.DataFileName), data);

        // index.bin: version 1, row groups without ranges, the new frame checksum, a new trailer.
        var r = index.AsSpan();
        var output = new List<byte>();
        var traceCount = BinaryPrimitives.ReadInt32LittleEndian(r[8..]);
        var groupCount = BinaryPrimitives.ReadInt32LittleEndian(r[12..]);
        var bloomLength = BinaryPrimitives.ReadInt32LittleEndian(r[28..]);
        var header = r[..(32 + bloomLength + traceCount * 28)].ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 1);
        var pos = header.Length;
        var groups = new List<(long Offset, long Length)>();
        var body = new List<byte>();
        for (var g = 0; g < groupCount; g++)
        {
            var valuesLength = BinaryPrimitives.ReadInt32LittleEndian(r[(pos + 40)..]);
            groups.Add((BinaryPrimitives.ReadInt64LittleEndian(r[pos..]), BinaryPrimitives.ReadInt64LittleEndian(r[(pos + 8)..])));
            body.AddRange(r.Slice(pos, 44 + valuesLength).ToArray());
            pos += 44 + valuesLength;
            // Skip the ranges: durations, status and kind bounds, then the ranged keys.
            pos += 8 + 8 + 4;
            var keys = BinaryPrimitives.ReadInt32LittleEndian(r[pos..]);
            pos += 4;
            for (var k = 0; k < keys; k++) pos += 4 + BinaryPrimitives.ReadInt32LittleEndian(r[pos..]) + 16;
        }
        Assert.Equal(index.Length - 8, pos);
        var headEnd = groups[0].Offset;
        var tailStart = groups[^1].Offset + groups[^1].Length;
        var frame = Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Start, data.AsSpan(0, (int)headEnd)), data.AsSpan((int)tailStart)));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), frame);
        output.AddRange(header);
        output.AddRange(body);
        var crc = Crc32C.Compute([.. output]);
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        "TLBI"u8.CopyTo(trailer.AsSpan(4));
        output.AddRange(trailer);
        File.WriteAllBytes(Path.Combine(target, BlockDirectory.IndexFileName), [.. output]);

        // meta.json: version 1, tied to the new index.
        var metaText = File.ReadAllText(Path.Combine(source, BlockDirectory.MetaFileName));
        var metaStart = metaText.IndexOf("\"meta\":", StringComparison.Ordinal) + "\"meta\":".Length;
        var meta = metaText[metaStart..^2].Replace($"\"formatVersion\":{StorageFormat.BlockFormatVersion}", "\"formatVersion\":1", StringComparison.Ordinal);
        var indexHex = crc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var metaCrc = Crc32C.Compute(Encoding.UTF8.GetBytes(indexHex + meta));
        File.WriteAllText(Path.Combine(target, BlockDirectory.MetaFileName), $"{{\"crc32c\":\"{metaCrc:x8}\",\"indexCrc32c\":\"{indexHex}\",\"meta\":{meta}}}\n");
    }
}
