using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Threadline.Storage.ClickHouse.Sql;

/// <summary>
/// The one way a value becomes part of a ClickHouse query. ClickHouse 18.16 has no query
/// parameters, so every literal, above all every string a user typed, goes through here: a
/// string becomes a quoted literal in which every byte that is not printable ASCII, the quote
/// and the backslash is written as <c>\xHH</c>, so nothing in the value can end the literal,
/// start a comment or reach the parser as anything but data.
/// </summary>
internal static class SqlLiteral
{
    /// <summary>
    /// Longest string (in UTF-8 bytes) accepted as a literal. The server refuses a query longer
    /// than its max_query_size, which the engine raises to fit a handful of these.
    /// </summary>
    public const int MaxStringBytes = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// The string as a quoted literal. The value is encoded as UTF-8 the way the engine encodes
    /// the strings it inserts (an unpaired surrogate becomes U+FFFD in both), so a literal
    /// equals the stored column value exactly when the two .NET strings encode alike.
    /// </summary>
    /// <exception cref="ArgumentException">The value is longer than <see cref="MaxStringBytes"/> in UTF-8.</exception>
    public static string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Utf8.GetBytes(value);
        if (bytes.Length > MaxStringBytes)
            throw new ArgumentException($"A value of {bytes.Length} UTF-8 bytes is too long to query by; at most {MaxStringBytes}.", nameof(value));
        return Bytes(bytes);
    }

    /// <summary>Whether <paramref name="value"/> fits in a literal (see <see cref="MaxStringBytes"/>).</summary>
    public static bool Fits(string value) => Utf8.GetByteCount(value) <= MaxStringBytes;

    /// <summary>Raw bytes (a trace id, a span id) as a quoted string literal.</summary>
    public static string Bytes(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 2);
        text.Append('\'');
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F && b != (byte)'\'' && b != (byte)'\\') text.Append((char)b);
            else text.Append("\\x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return text.Append('\'').ToString();
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string UInt(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A double as a Float64 expression made from its eight bytes, so every value is exact: 18.16
    /// cannot parse a subnormal literal (4.9E-324 is a syntax error, and toFloat64 of its text is
    /// 0), and NaN and the infinities have no literal at all.
    /// </summary>
    public static string Double(double value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return "reinterpretAsFloat64(unhex('" + Convert.ToHexString(bytes) + "'))";
    }

    /// <summary>An identifier (database, table, cluster name) in back quotes.</summary>
    /// <exception cref="ArgumentException">The name is empty or has characters outside [A-Za-z0-9_].</exception>
    public static string Identifier(string name)
    {
        if (!IsPlainIdentifier(name))
            throw new ArgumentException($"'{name}' is not a plain ClickHouse name: use letters, digits and underscores, not starting with a digit.", nameof(name));
        return "`" + name + "`";
    }

    /// <summary>Whether the name is letters, digits and underscores, not starting with a digit, at most 128 characters.</summary>
    public static bool IsPlainIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 128 && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
