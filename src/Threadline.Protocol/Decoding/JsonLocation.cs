using System.Globalization;
using System.Text.Json;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// One way of saying where a JSON body goes wrong, whether the reader found a syntax error or a
/// decoder found a value it cannot use: "line L, column C", both counted from 1, a column being a
/// byte of the line (as the reader counts; a multi-byte character spans several columns).
/// </summary>
internal static class JsonLocation
{
    /// <summary>The location of byte <paramref name="offset"/> of <paramref name="json"/>.</summary>
    public static string Of(ReadOnlySpan<byte> json, long offset)
    {
        var before = json[..(int)Math.Clamp(offset, 0, json.Length)];
        var line = before.Count((byte)'\n') + 1;
        var column = before.Length - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return Format(line, column);
    }

    /// <summary>The location of a syntax error the reader reported (it counts both from 0).</summary>
    public static string Of(JsonException error) => Format((error.LineNumber ?? 0) + 1, (error.BytePositionInLine ?? 0) + 1);

    /// <summary>
    /// What the reader said was wrong, without the "LineNumber: 0 | BytePositionInLine: 18." it
    /// appends: that position counts from 0 and would contradict the one the message starts with.
    /// </summary>
    public static string ProblemOf(JsonException error)
    {
        var message = error.Message;
        var position = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (position < 0 ? message : message[..position]).TrimEnd(' ', '.');
    }

    private static string Format(long line, long column) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}");
}
