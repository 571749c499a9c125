using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// meta.json: <c>{"crc32c":"&lt;8 hex&gt;","indexCrc32c":"&lt;8 hex&gt;","meta":{...}}</c>. The first checksum
/// covers the exact bytes of the "meta" value and of the index checksum, as written, so a flipped
/// byte anywhere is caught (a flip in the structure fails the JSON parse, also reported).
/// </summary>
internal static class BlockMetaFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Serialize(BlockMeta meta, uint indexCrc)
    {
        var metaJson = JsonSerializer.Serialize(meta, Options);
        var indexHex = indexCrc.ToString("x8");
        var crc = Checksum(indexHex, Encoding.UTF8.GetBytes(metaJson));
        return Encoding.UTF8.GetBytes($"{{\"crc32c\":\"{crc:x8}\",\"indexCrc32c\":\"{indexHex}\",\"meta\":{metaJson}}}\n");
    }

    /// <summary>The meta and the checksum index.bin must have.</summary>
    public static (BlockMeta Meta, uint IndexCrc) Parse(string path, byte[] bytes)
    {
        string? crcText = null, indexText = null;
        int metaStart = -1, metaEnd = -1;
        var reader = new Utf8JsonReader(bytes);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, path);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "crc32c": crcText = reader.GetString(); break;
                    case "indexCrc32c": indexText = reader.GetString(); break;
                    case "meta":
                        metaStart = (int)reader.TokenStartIndex;
                        reader.Skip();
                        metaEnd = (int)reader.BytesConsumed;
                        break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new StorageCorruptionException(path, reader.BytesConsumed, "not valid JSON: " + e.Message, e);
        }
        // The document ends with its closing brace and one newline: anything else is damage.
        var end = (int)reader.BytesConsumed;
        if (reader.TokenType != JsonTokenType.EndObject || bytes.Length != end + 1 || bytes[end] != (byte)'\n')
            throw new StorageCorruptionException(path, end, "unexpected bytes after the JSON document");
        if (crcText is null || indexText is null || metaStart < 0
            || !uint.TryParse(crcText, System.Globalization.NumberStyles.HexNumber, null, out var crc)
            || !uint.TryParse(indexText, System.Globalization.NumberStyles.HexNumber, null, out var indexCrc))
        {
            throw new StorageCorruptionException(path, 0, "missing or malformed crc32c, indexCrc32c or meta field");
        }
        var metaBytes = bytes.AsSpan(metaStart, metaEnd - metaStart);
        var computed = Checksum(indexText, metaBytes);
        if (computed != crc)
            throw new StorageCorruptionException(path, metaStart, $"checksum mismatch (CRC-32C stored {crc:x8}, computed {computed:x8})");

        BlockMeta? meta;
        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(metaStart, metaEnd - metaStart));
            if (!document.RootElement.TryGetProperty("formatVersion", out var version) || !version.TryGetInt32(out var v))
                throw new StorageCorruptionException(path, metaStart, "no formatVersion in meta");
            if (!StorageFormat.ReadableBlockVersions.Contains(v))
                throw new UnsupportedFormatVersionException(path, v, StorageFormat.ReadableBlockVersions);
            meta = document.RootElement.Deserialize<BlockMeta>(Options);
        }
        catch (JsonException e)
        {
            throw new StorageCorruptionException(path, metaStart, "meta does not match the block meta schema: " + e.Message, e);
        }
        return (meta ?? throw new StorageCorruptionException(path, metaStart, "meta is null"), indexCrc);
    }

    private static uint Checksum(string indexHex, ReadOnlySpan<byte> metaJson) =>
        Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Start, Encoding.ASCII.GetBytes(indexHex)), metaJson));

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw new StorageCorruptionException(path, reader.TokenStartIndex, $"expected {type}");
    }
}
