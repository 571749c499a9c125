using System.Buffers.Binary;
using System.Text;

namespace Threadline.Testing;

/// <summary>
/// Seeded mutations of valid request bodies, for fuzzing decoders and receivers: bit flips, byte
/// insertion, deletion and overwrite, truncation, splicing, protobuf varint and length corruption,
/// invalid UTF-8 and JSON escapes, deep nesting and huge numbers. The same seed always yields the
/// same body, so a failure is reproduced from the seed alone.
/// </summary>
internal static class BodyMutator
{
    /// <summary>Byte sequences that are interesting to a UTF-8 JSON or protobuf reader when dropped in anywhere.</summary>
    private static readonly byte[][] Tokens =
    [
        // Invalid UTF-8: a lone continuation byte, an overlong '/', a truncated 3-byte sequence,
        // an encoded surrogate, a byte that never occurs, an escape next to an invalid byte.
        [0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xFF], [0xC3, 0x28],
        .. new[]
        {
            "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u00", "\\u0000", "\\x", "\\", "\\\"", "\\n", "\\u00e9\xff",
            "\"", "\"\"", ":", ",", "{", "}", "[", "]", "{}", "[]", "null", "true", "false", "0", "-1", "-0", "1.5",
            "1e999", "-1e999", "18446744073709551616", "99999999999999999999999999", "9223372036854775808", "\"NaN\"",
            "\"Infinity\"", "\"-Infinity\"", "\"AAAA\"", "\"_-8=\"", "\"SPAN_KIND_SERVER\"", "\"STATUS_CODE_ERROR\"",
            "{\"stringValue\":\"x\"}", "{\"arrayValue\":{\"values\":[", "{\"kvlistValue\":{\"values\":[",
            "\"traceId\":", "\"spanId\":", "\"id\":", "\"value\":", "\"tags\":{", "\"localEndpoint\":{", "\"attributes\":[",
            "\"4bf92f3577b34da6a3ce929d0e0e4736\"", "\"00f067aa0ba902b7\"", "\"0000000000000000\"",
        }.Select(token => Encoding.Latin1.GetBytes(token)),
        // Protobuf: the longest legal varint, an over-long one, a huge length, start/end group tags, field 0.
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x08], [0x0B], [0x0C], [0x00], [0x07], [0x0A, 0x00],
        [0x2A, 0x7F], [0x32, 0xFF, 0xFF, 0x03],
    ];

    /// <summary>
    /// Body number <paramref name="seed"/>: one of the <paramref name="corpus"/> bodies with one to
    /// four mutations applied, or two bodies spliced together.
    /// </summary>
    public static byte[] Mutate(IReadOnlyList<byte[]> corpus, int seed)
    {
        var random = new Random(seed);
        var body = new List<byte>(corpus[random.Next(corpus.Count)]);
        var mutations = 1 + random.Next(4);
        for (var i = 0; i < mutations; i++) Apply(body, corpus, random);
        return [.. body];
    }

    /// <summary>A body for a failure message: base64, which any tool can turn back into the bytes.</summary>
    public static string Show(byte[] body) => Convert.ToBase64String(body);

    private static void Apply(List<byte> body, IReadOnlyList<byte[]> corpus, Random random)
    {
        var at = body.Count == 0 ? 0 : random.Next(body.Count + 1);
        switch (random.Next(12))
        {
            case 0 when body.Count > 0: // flip one bit
                var flip = random.Next(body.Count);
                body[flip] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when body.Count > 0: // overwrite a byte
                body[random.Next(body.Count)] = (byte)random.Next(256);
                break;
            case 2: // insert a random byte
                body.Insert(at, (byte)random.Next(256));
                break;
            case 3 when body.Count > 0: // delete a range
                var start = random.Next(body.Count);
                body.RemoveRange(start, Math.Min(body.Count - start, 1 + random.Next(16)));
                break;
            case 4: // truncate
                body.RemoveRange(at, body.Count - at);
                break;
            case 5: // splice in a piece of another body (or of this one)
                var donor = corpus[random.Next(corpus.Count)];
                var from = random.Next(donor.Length);
                body.InsertRange(at, donor.AsSpan(from, Math.Min(donor.Length - from, 1 + random.Next(64))).ToArray());
                break;
            case 6 when body.Count > 0: // duplicate a range in place
                var copyFrom = random.Next(body.Count);
                body.InsertRange(copyFrom, body.GetRange(copyFrom, Math.Min(body.Count - copyFrom, 1 + random.Next(32))));
                break;
            case 7 when body.Count > 0: // corrupt what may be a protobuf length or varint: a bigger or smaller value
                var target = random.Next(body.Count);
                body[target] = random.Next(3) switch
                {
                    0 => (byte)(body[target] | 0x80),
                    1 => (byte)(body[target] + 1 + random.Next(8)),
                    _ => (byte)(body[target] - 1 - random.Next(8)),
                };
                break;
            case 8: // deep nesting
                var depth = 1 + random.Next(300);
                var open = random.Next(3) switch
                {
                    0 => "["u8.ToArray(),
                    1 => "{\"a\":"u8.ToArray(),
                    _ => "{\"arrayValue\":{\"values\":["u8.ToArray(),
                };
                var nesting = new List<byte>(open.Length * depth);
                for (var i = 0; i < depth; i++) nesting.AddRange(open);
                body.InsertRange(at, nesting);
                break;
            case 9: // a nested protobuf message claiming a huge or wrong length
                var length = new byte[5];
                BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)random.Next());
                body.InsertRange(at, [(byte)((random.Next(16) << 3) | 2), (byte)(length[0] | 0x80), (byte)(length[1] | 0x80), (byte)(length[2] & 0x7F)]);
                break;
            default: // a token from the dictionary
                body.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                break;
        }
    }
}
