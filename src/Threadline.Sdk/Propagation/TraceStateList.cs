using System.Buffers;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// Validates and normalizes W3C <c>tracestate</c> lists (the current grammar, Trace Context Level 2). Works on spans and keeps
/// member positions on the stack; the only allocation is the normalized string, and none at all
/// when the input is already in normal form.
/// </summary>
internal static class TraceStateList
{
    public const int MaxMembers = 32;

    /// <summary>The longest tracestate injected; every vendor must propagate at least this much.</summary>
    public const int MaxInjectedLength = 512;

    /// <summary>Members longer than this are the first to go when a tracestate must be shortened.</summary>
    public const int LongMemberLength = 128;

    private const int MaxKeyLength = 256;
    private const int MaxValueLength = 256;

    /// <summary>
    /// The list in normal form (members joined by single commas, no whitespace, no empty members,
    /// only the first member of a repeated key), or null when it is empty or cannot be parsed: more
    /// than 32 members, a bad key or value anywhere.
    /// </summary>
    public static string? Parse(string combined)
    {
        Span<int> starts = stackalloc int[MaxMembers];
        Span<int> lengths = stackalloc int[MaxMembers];
        Span<int> keyLengths = stackalloc int[MaxMembers];
        if (!TryScan(combined, starts, lengths, keyLengths, out var count, out var isNormalForm) || count == 0) return null;
        return isNormalForm ? combined : Join(combined, starts[..count], lengths[..count], keep: default);
    }

    /// <summary>
    /// The tracestate to send for a span: normalized, null when invalid or empty, and shortened to
    /// <see cref="MaxInjectedLength"/> by removing whole members.
    /// </summary>
    public static string? PrepareForInjection(string? traceState)
    {
        if (string.IsNullOrEmpty(traceState)) return null;

        Span<int> starts = stackalloc int[MaxMembers];
        Span<int> lengths = stackalloc int[MaxMembers];
        Span<int> keyLengths = stackalloc int[MaxMembers];
        if (!TryScan(traceState, starts, lengths, keyLengths, out var count, out var isNormalForm) || count == 0) return null;
        starts = starts[..count];
        lengths = lengths[..count];

        var total = count - 1;
        foreach (var length in lengths) total += length;
        if (total <= MaxInjectedLength)
        {
            return isNormalForm ? traceState : Join(traceState, starts, lengths, keep: default);
        }

        // The spec's truncation order: long members first, then from the right-hand end.
        Span<bool> keep = stackalloc bool[count];
        keep.Fill(true);
        var kept = count;
        for (var i = count - 1; i >= 0 && total > MaxInjectedLength; i--)
        {
            if (lengths[i] <= LongMemberLength) continue;
            keep[i] = false;
            total -= lengths[i] + (--kept > 0 ? 1 : 0);
        }
        for (var i = count - 1; i >= 0 && total > MaxInjectedLength; i--)
        {
            if (!keep[i]) continue;
            keep[i] = false;
            total -= lengths[i] + (--kept > 0 ? 1 : 0);
        }
        return kept == 0 ? null : Join(traceState, starts, lengths, keep);
    }

    private static bool TryScan(
        ReadOnlySpan<char> text, Span<int> starts, Span<int> lengths, Span<int> keyLengths, out int count, out bool isNormalForm)
    {
        count = 0;
        isNormalForm = true;
        var members = 0;
        var position = 0;
        while (true)
        {
            var rest = text[position..];
            var comma = rest.IndexOf(',');
            var raw = comma < 0 ? rest : rest[..comma];
            var member = raw.TrimStart(HeaderText.Ows);
            var leading = raw.Length - member.Length;
            member = member.TrimEnd(HeaderText.Ows);

            if (member.IsEmpty)
            {
                // Empty and whitespace-only members are allowed and carry nothing.
                isNormalForm = false;
            }
            else
            {
                if (member.Length != raw.Length) isNormalForm = false;
                // The grammar allows 32 members; a longer list is not a tracestate, whatever repeats in it.
                if (++members > MaxMembers) return false;

                var equals = member.IndexOf('=');
                if (equals <= 0) return false;
                var key = member[..equals];
                if (!IsValidKey(key) || !IsValidValue(member[(equals + 1)..])) return false;

                if (IsRepeated(text, starts[..count], keyLengths[..count], key))
                {
                    // A repeated key is well-formed but must not be passed on twice. The left-most copy
                    // is the most recent position of that vendor, so the later ones go.
                    isNormalForm = false;
                }
                else
                {
                    starts[count] = position + leading;
                    lengths[count] = member.Length;
                    keyLengths[count] = equals;
                    count++;
                }
            }

            if (comma < 0) return true;
            position += comma + 1;
        }
    }

    private static bool IsRepeated(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> keyLengths, ReadOnlySpan<char> key)
    {
        for (var i = 0; i < starts.Length; i++)
        {
            if (text.Slice(starts[i], keyLengths[i]).SequenceEqual(key)) return true;
        }
        return false;
    }

    private static string Join(string text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, ReadOnlySpan<bool> keep)
    {
        var total = -1;
        for (var i = 0; i < starts.Length; i++)
        {
            if (keep.IsEmpty || keep[i]) total += lengths[i] + 1;
        }

        char[]? rented = null;
        var buffer = total <= MaxInjectedLength
            ? stackalloc char[MaxInjectedLength]
            : (rented = ArrayPool<char>.Shared.Rent(total));
        var written = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            if (!keep.IsEmpty && !keep[i]) continue;
            if (written > 0) buffer[written++] = ',';
            text.AsSpan(starts[i], lengths[i]).CopyTo(buffer[written..]);
            written += lengths[i];
        }

        var result = new string(buffer[..written]);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return result;
    }

    // key     = ( lcalpha / DIGIT ) 0*255( keychar )
    // keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
    // The current grammar (w3c/trace-context#386, in Level 2) replaced Level 1's tenant "@" system
    // form: "@" is one more key character, anywhere but first, as often as it appears.
    internal static bool IsValidKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > MaxKeyLength) return false;
        if (!(char.IsAsciiLetterLower(key[0]) || char.IsAsciiDigit(key[0]))) return false;
        foreach (var c in key[1..])
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '*' or '/' or '@')) return false;
        }
        return true;
    }

    // value    = 0*255(chr) nblk-chr
    // nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
    // chr      = %x20 / nblk-chr
    internal static bool IsValidValue(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxValueLength || value[^1] == ' ') return false;
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or ',' or '=') return false;
        }
        return true;
    }
}
