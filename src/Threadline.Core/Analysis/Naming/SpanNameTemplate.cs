using System.Text;

namespace Threadline.Core.Analysis.Naming;

/// <summary>
/// Turns a span name into the low-cardinality name it should have been: ids, UUIDs, long hex and
/// opaque tokens in path segments become <c>{id}</c>, other numbers <c>{n}</c>; a full URL
/// becomes the method and path template; a SQL statement becomes <c>VERB table</c>
/// (<c>SELECT … FROM orders WHERE id = 42</c> → <c>SELECT orders</c>); a query string is dropped.
/// Pure and allocation-light: a name with nothing to replace comes back as the same string.
/// </summary>
public static class SpanNameTemplate
{
    public const string IdPlaceholder = "{id}";
    public const string NumberPlaceholder = "{n}";

    // Shorter runs of digits inside words are versions and sizes (v1, s3, http2), not ids.
    private const int MinEmbeddedDigits = 3;
    private const int MinHexLength = 16;
    private const int MinOpaqueLength = 16;
    private const int MaxTableLength = 64;

    private static readonly string[] SqlVerbs = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE"];

    /// <summary>The template of <paramref name="name"/> and the strongest reason anything was replaced.</summary>
    public static (string Template, NamingReason Reason) Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TrySql(name, out var sql)) return (sql, sql == name ? NamingReason.None : NamingReason.Sql);

        var reason = NamingReason.None;
        var text = name.AsSpan();
        StringBuilder? built = null;
        var position = 0;
        while (position < text.Length)
        {
            var end = position;
            while (end < text.Length && text[end] != ' ') end++;
            var word = text[position..end];
            var replaced = Word(word, ref reason);
            if (replaced is not null || built is not null)
            {
                built ??= new StringBuilder(name.Length).Append(text[..position]);
                built.Append(replaced ?? word.ToString());
            }
            if (end < text.Length) built?.Append(' ');
            position = end + 1;
        }
        return built is null ? (name, NamingReason.None) : (built.ToString(), reason);
    }

    // One space-separated word: a URL, a path, or a plain word. Null when unchanged.
    private static string? Word(ReadOnlySpan<char> word, ref NamingReason reason)
    {
        var scheme = word.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && Uri.TryCreate(word.ToString(), UriKind.Absolute, out var uri))
        {
            reason = Max(reason, NamingReason.Url);
            return Path(uri.AbsolutePath.AsSpan(), ref reason) ?? uri.AbsolutePath;
        }
        var query = word.IndexOf('?');
        if (query >= 0)
        {
            reason = Max(reason, NamingReason.Url);
            var path = word[..query];
            return Path(path, ref reason) ?? path.ToString();
        }
        if (word.Contains('/')) return Path(word, ref reason);
        return Segment(word, inPath: false, ref reason);
    }

    private static string? Path(ReadOnlySpan<char> path, ref NamingReason reason)
    {
        StringBuilder? built = null;
        var position = 0;
        while (position <= path.Length)
        {
            var end = path[position..].IndexOf('/');
            end = end < 0 ? path.Length : position + end;
            var segment = path[position..end];
            var replaced = Segment(segment, inPath: true, ref reason);
            if (replaced is not null || built is not null)
            {
                built ??= new StringBuilder(path.Length).Append(path[..position]);
                built.Append(replaced ?? segment.ToString());
            }
            if (end < path.Length) built?.Append('/');
            position = end + 1;
        }
        return built?.ToString();
    }

    private static string? Segment(ReadOnlySpan<char> segment, bool inPath, ref NamingReason reason)
    {
        if (segment.IsEmpty) return null;
        if (IsUuid(segment)) return Replace(ref reason, NamingReason.Uuid, IdPlaceholder);
        if (IsDigits(segment)) return inPath ? Replace(ref reason, NamingReason.Id, IdPlaceholder) : Replace(ref reason, NamingReason.Number, NumberPlaceholder);
        if (segment.Length >= MinHexLength && IsHex(segment)) return Replace(ref reason, NamingReason.Hex, IdPlaceholder);
        if (inPath && segment.Length >= MinOpaqueLength && IsOpaqueToken(segment)) return Replace(ref reason, NamingReason.Id, IdPlaceholder);
        return EmbeddedNumbers(segment, ref reason);
    }

    private static string Replace(ref NamingReason reason, NamingReason why, string placeholder)
    {
        reason = Max(reason, why);
        return placeholder;
    }

    // "invoice-20231104" → "invoice-{n}"; short digit runs stay.
    private static string? EmbeddedNumbers(ReadOnlySpan<char> segment, ref NamingReason reason)
    {
        StringBuilder? built = null;
        var i = 0;
        var copied = 0;
        while (i < segment.Length)
        {
            if (!char.IsAsciiDigit(segment[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < segment.Length && char.IsAsciiDigit(segment[i])) i++;
            if (i - start < MinEmbeddedDigits) continue;
            built ??= new StringBuilder(segment.Length);
            built.Append(segment[copied..start]).Append(NumberPlaceholder);
            copied = i;
            reason = Max(reason, NamingReason.Number);
        }
        return built?.Append(segment[copied..]).ToString();
    }

    // "SELECT id, total FROM orders WHERE id = 42" → "SELECT orders"; "SELECT orders" stays.
    private static bool TrySql(string name, out string template)
    {
        template = name;
        var text = name.TrimStart();
        var verb = Array.Find(SqlVerbs, v => text.StartsWith(v, StringComparison.OrdinalIgnoreCase) && text.Length > v.Length && char.IsWhiteSpace(text[v.Length]));
        if (verb is null) return false;
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        // Two words are already a template ("SELECT orders"); a statement has more.
        if (words.Length <= 2) return false;
        var keyword = verb.Equals("SELECT", StringComparison.OrdinalIgnoreCase) || verb.Equals("DELETE", StringComparison.OrdinalIgnoreCase) ? "FROM"
            : verb.Equals("UPDATE", StringComparison.OrdinalIgnoreCase) ? verb
            : "INTO";
        string? table = null;
        for (var i = 0; i < words.Length - 1; i++)
        {
            if (!words[i].Equals(keyword, StringComparison.OrdinalIgnoreCase)) continue;
            table = words[i + 1].Trim('(', ')', ';', ',', '"', '`', '[', ']');
            break;
        }
        // MERGE INTO / UPSERT INTO and the like name their table after INTO; without one, the verb alone.
        template = verb + (string.IsNullOrEmpty(table) ? string.Empty : " " + (table.Length > MaxTableLength ? table[..MaxTableLength] : table));
        return true;
    }

    private static NamingReason Max(NamingReason a, NamingReason b) => a > b ? a : b;

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    // At least one digit: an all-letter word such as "deadbeefcafebabe0" is rare, "feedface…" words are not ids.
    private static bool IsHex(ReadOnlySpan<char> text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
            if (char.IsAsciiDigit(c)) digits++;
        }
        return digits > 0;
    }

    private static bool IsUuid(ReadOnlySpan<char> text)
    {
        if (text.Length != 36) return false;
        for (var i = 0; i < 36; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? text[i] != '-' : !char.IsAsciiHexDigit(text[i])) return false;
        }
        return true;
    }

    // Base64/base64url-ish tokens (session ids, Stripe ids): letters and digits mixed, no word breaks.
    private static bool IsOpaqueToken(ReadOnlySpan<char> text)
    {
        var (digits, letters) = (0, 0);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (char.IsAsciiLetter(c)) letters++;
            else if (c is not ('_' or '-' or '+' or '=')) return false;
        }
        return digits > 0 && letters > 0;
    }
}
