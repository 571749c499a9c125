using System.Buffers;

namespace Threadline.Sdk.Propagation;

/// <summary>Character classes shared by the header parsers.</summary>
internal static class HeaderText
{
    /// <summary>RFC 7230 optional whitespace: space and horizontal tab.</summary>
    public const string Ows = " \t";

    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// True when every char is 0-9 or a-f. Uppercase is refused on purpose: W3C and B3 both define
    /// ids as lowercase hex, and accepting both would give one id two spellings.
    /// </summary>
    public static bool IsLowerHex(ReadOnlySpan<char> chars) => !chars.IsEmpty && !chars.ContainsAnyExcept(s_lowerHex);

    public static bool IsAllZeros(ReadOnlySpan<char> chars) => !chars.ContainsAnyExcept('0');

    /// <summary>The value of a hex digit, either case; -1 when <paramref name="c"/> is not one.</summary>
    public static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    public static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> text) => text.Trim(Ows);
}
