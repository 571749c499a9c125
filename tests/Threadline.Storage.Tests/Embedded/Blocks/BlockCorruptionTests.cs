using System.Buffers.Binary;
using System.Text;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Blocks;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Tests.Embedded.Blocks;

/// <summary>
/// A flipped byte anywhere in a block is detected by checksum and reported with the file and an
/// offset; wrong data is never returned; a damaged row group leaves the others readable.
/// </summary>
public sealed class BlockCorruptionTests : IDisposable
{
    private const int FlipsPerFile = 40;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(BlockDirectory.DataFileName)]
    [InlineData(BlockDirectory.IndexFileName)]
    [InlineData(BlockDirectory.MetaFileName)]
    public void A_flipped_byte_is_reported_with_file_and_offset_and_never_read_as_data(string fileName)
    {
        var random = new RandomSpans(31);
        var traces = Enumerable.Range(0, 40).Select(i => random.Trace(1 + i % 6)).ToArray();
        string original;
        using (var block = BlockWriter.Write(Path.Combine(_directory.Path, "original"), traces.SelectMany(t => t), new BlockWriteOptions { RowGroupSpans = 25 }, CancellationToken.None))
            original = block.Directory;
        var expected = traces.ToDictionary(t => t[0].TraceId, t => t.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId).ToArray());
        var length = new FileInfo(Path.Combine(original, fileName)).Length;
        var flips = new Random(fileName.Length);
        var detected = 0;

        // Every offset of a small file; seeded offsets (first and last bytes included) of a large one.
        var offsets = length <= FlipsPerFile
            ? Enumerable.Range(0, (int)length).Select(i => (long)i)
            : new[] { 0L, length - 1 }.Concat(Enumerable.Range(0, FlipsPerFile).Select(_ => flips.NextInt64(length)));
        foreach (var offset in offsets)
        {
            var copy = Copy(original, $"flip-{fileName}-{offset}");
            Flip(Path.Combine(copy, fileName), offset, (byte)flips.Next(1, 256));
            try
            {
                using var damaged = Block.Open(copy);
                var readable = 0;
                foreach (var (id, spans) in expected)
                {
                    try
                    {
                        var found = damaged.FindTrace(id);
                        Assert.Equal(spans.Length, found.Count);
                        for (var i = 0; i < spans.Length; i++) SpanAssert.Equal(spans[i], found[i]);
                        readable++;
                    }
                    catch (StorageCorruptionException e)
                    {
                        AssertNames(e, fileName);
                        detected++;
                    }
                }
                // Only data.parquet is checked lazily, one row group at a time: the rest stays readable.
                Assert.True(fileName == BlockDirectory.DataFileName, $"a flip at {fileName}:{offset} was not detected on open");
                Assert.True(readable > expected.Count / 2, $"a flip at {offset} made {expected.Count - readable} of {expected.Count} traces unreadable");
            }
            catch (StorageCorruptionException e)
            {
                AssertNames(e, fileName);
                detected++;
            }
            Directory.Delete(copy, recursive: true);
        }
        Assert.True(detected >= Math.Min(length, FlipsPerFile), $"only {detected} flips detected");
    }

    [Fact]
    public void Truncated_or_missing_files_are_reported()
    {
        var random = new RandomSpans(32);
        string original;
        using (var block = BlockWriter.Write(Path.Combine(_directory.Path, "original"), random.Trace(10), new BlockWriteOptions(), CancellationToken.None))
            original = block.Directory;

        foreach (var name in new[] { BlockDirectory.DataFileName, BlockDirectory.IndexFileName, BlockDirectory.MetaFileName })
        {
            var truncated = Copy(original, "truncated-" + name);
            var path = Path.Combine(truncated, name);
            File.WriteAllBytes(path, File.ReadAllBytes(path)[..^3]);
            AssertNames(Assert.Throws<StorageCorruptionException>(() => Block.Open(truncated)), name);

            var missing = Copy(original, "missing-" + name);
            File.Delete(Path.Combine(missing, name));
            AssertNames(Assert.Throws<StorageCorruptionException>(() => Block.Open(missing)), name);
        }
    }

    [Fact]
    public void An_index_from_another_block_is_refused()
    {
        var random = new RandomSpans(33);
        using var first = BlockWriter.Write(_directory.Path, random.Trace(4), new BlockWriteOptions(), CancellationToken.None);
        using var second = BlockWriter.Write(_directory.Path, random.Trace(4), new BlockWriteOptions(), CancellationToken.None);
        var mixed = Copy(first.Directory, "mixed");
        File.Copy(Path.Combine(second.Directory, BlockDirectory.IndexFileName), Path.Combine(mixed, BlockDirectory.IndexFileName), overwrite: true);

        var e = Assert.Throws<StorageCorruptionException>(() => Block.Open(mixed));
        Assert.True(e.FilePath.EndsWith(BlockDirectory.IndexFileName, StringComparison.Ordinal), e.Message);
        AssertNames(e, BlockDirectory.IndexFileName);
    }

    [Fact]
    public void A_newer_meta_version_is_refused_naming_file_version_and_supported_versions()
    {
        var random = new RandomSpans(34);
        using var block = BlockWriter.Write(_directory.Path, random.Trace(3), new BlockWriteOptions(), CancellationToken.None);
        var metaPath = Path.Combine(block.Directory, BlockDirectory.MetaFileName);
        var (indexHex, meta) = ReadMeta(metaPath);
        WriteMeta(metaPath, indexHex, meta.Replace($"\"formatVersion\":{StorageFormat.BlockFormatVersion}", "\"formatVersion\":7", StringComparison.Ordinal));

        var e = Assert.Throws<UnsupportedFormatVersionException>(() => Block.Open(block.Directory));
        Assert.Equal(7, e.VersionFound);
        Assert.Contains(metaPath, e.Message, StringComparison.Ordinal);
        Assert.Contains("version 7", e.Message, StringComparison.Ordinal);
        Assert.Contains(StorageFormat.BlockFormatVersion.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_index_version_is_refused()
    {
        var random = new RandomSpans(35);
        using var block = BlockWriter.Write(_directory.Path, random.Trace(3), new BlockWriteOptions(), CancellationToken.None);
        var indexPath = Path.Combine(block.Directory, BlockDirectory.IndexFileName);
        var index = File.ReadAllBytes(indexPath);
        // index.bin: magic, version (int32 LE) at byte 4, ..., CRC-32C of all before it, magic.
        BinaryPrimitives.WriteInt32LittleEndian(index.AsSpan(4), 9);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(index.Length - 8), Crc32C.Compute(index.AsSpan(0, index.Length - 8)));
        File.WriteAllBytes(indexPath, index);
        var metaPath = Path.Combine(block.Directory, BlockDirectory.MetaFileName);
        WriteMeta(metaPath, Crc32C.Compute(index.AsSpan(0, index.Length - 8)).ToString("x8"), ReadMeta(metaPath).Meta);

        var e = Assert.Throws<UnsupportedFormatVersionException>(() => Block.Open(block.Directory));
        Assert.Equal(9, e.VersionFound);
        Assert.Equal(indexPath, e.FilePath);
    }

    private static void AssertNames(StorageCorruptionException e, string fileName)
    {
        Assert.EndsWith(fileName, e.FilePath, StringComparison.Ordinal);
        Assert.Contains(e.FilePath, e.Message, StringComparison.Ordinal);
        Assert.Contains($"at byte offset {e.Offset}", e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Offset, 0, new FileInfo(e.FilePath).Exists ? new FileInfo(e.FilePath).Length : 0);
    }

    // meta.json as docs/storage-format.md describes it: {"crc32c":"…","indexCrc32c":"…","meta":{…}}\n
    private static (string IndexHex, string Meta) ReadMeta(string path)
    {
        var text = File.ReadAllText(path);
        const string indexField = "\"indexCrc32c\":\"";
        var at = text.IndexOf(indexField, StringComparison.Ordinal) + indexField.Length;
        var metaStart = text.IndexOf("\"meta\":", StringComparison.Ordinal) + "\"meta\":".Length;
        return (text.Substring(at, 8), text[metaStart..^2]);
    }

    private static void WriteMeta(string path, string indexHex, string meta)
    {
        var crc = Crc32C.Compute(Encoding.UTF8.GetBytes(indexHex + meta));
        File.WriteAllText(path, $"{{\"crc32c\":\"{crc:x8}\",\"indexCrc32c\":\"{indexHex}\",\"meta\":{meta}}}\n");
    }

    private string Copy(string block, string name)
    {
        var copy = Path.Combine(_directory.Path, name, Path.GetFileName(block));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(block)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    private static void Flip(string path, long offset, byte mask)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = (byte)file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ mask));
    }
}
