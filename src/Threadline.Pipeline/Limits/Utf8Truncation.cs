namespace Threadline.Pipeline.Limits;

/// <summary>Cuts text to a UTF-8 byte budget without splitting a character.</summary>
internal static class Utf8Truncation
{
    /// <summary>True when <paramref name="text"/> encodes to more than <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static bool IsOver(string text, int maxBytes) =>
        // No UTF-16 unit encodes to more than 3 bytes, so short strings need no counting.
        (long)text.Length * 3 > maxBytes && System.Text.Encoding.UTF8.GetByteCount(text) > maxBytes;

    /// <summary>The longest prefix of <paramref name="text"/> that encodes to at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        var bytes = 0;
        var end = 0;
        while (end < text.Length)
        {
            var c = text[end];
            int size, width = 1;
            if (c < 0x80) size = 1;
            else if (c < 0x800) size = 2;
            else if (char.IsHighSurrogate(c) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1])) (size, width) = (4, 2);
            else size = 3; // the rest of the BMP, and a lone surrogate, which UTF-8 writes as U+FFFD
            if (bytes + size > maxBytes) break;
            bytes += size;
            end += width;
        }
        return text[..end];
    }
}
