namespace Threadline.Core.Model;

/// <summary>Lower-case hex formatting and strict parsing shared by the id types.</summary>
internal static class HexCodec
{
    public static bool TryParseUInt64(ReadOnlySpan<char> hex, out ulong value)
    {
        value = 0;
        if (hex.Length != 16) return false;
        for (var i = 0; i < 16; i++)
        {
            var nibble = Nibble(hex[i]);
            if (nibble < 0) return false;
            value = (value << 4) | (uint)nibble;
        }
        return true;
    }

    public static bool TryParseUInt64(ReadOnlySpan<byte> utf8Hex, out ulong value)
    {
        value = 0;
        if (utf8Hex.Length != 16) return false;
        for (var i = 0; i < 16; i++)
        {
            var nibble = Nibble((char)utf8Hex[i]);
            if (nibble < 0) return false;
            value = (value << 4) | (uint)nibble;
        }
        return true;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    public static void Format(ulong value, Span<char> destination)
    {
        const string digits = "0123456789abcdef";
        for (var i = 15; i >= 0; i--)
        {
            destination[i] = digits[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
