using System.Globalization;
using System.Text;

namespace Threadline.Protocol.Tempo;

/// <summary>
/// Reads the <c>tags</c> parameter of Tempo's search, logfmt: <c>service.name=api http.method="GET x"</c>.
/// A bare key is a key with an empty value; a quoted value takes the escapes <c>\" \\ \n \r \t \uXXXX</c>.
/// </summary>
public static class LogfmtTags
{
    /// <summary>The pairs in order, or false with an error naming the 1-based position of the problem.</summary>
    public static bool TryParse(string text, out IReadOnlyList<KeyValuePair<string, string>> tags, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pairs = new List<KeyValuePair<string, string>>();
        tags = pairs;
        error = null;
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) return true;

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != '"' && !char.IsWhiteSpace(text[i])) i++;
            if (i == keyStart)
                return Fail(out error, text[i] == '"' ? "unexpected '\"'" : "unexpected '='", i);
            var key = text[keyStart..i];
            var value = string.Empty;
            if (i < text.Length && text[i] == '"') return Fail(out error, "unexpected '\"'", i);
            if (i < text.Length && text[i] == '=')
            {
                i++;
                if (i < text.Length && text[i] == '"')
                {
                    if (!TryReadQuoted(text, ref i, out value, out error)) return false;
                }
                else
                {
                    var valueStart = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]))
                    {
                        if (text[i] is '"' or '=') return Fail(out error, $"unexpected '{text[i]}'", i);
                        i++;
                    }
                    value = text[valueStart..i];
                }
            }
            foreach (var pair in pairs)
            {
                if (pair.Key == key)
                {
                    error = $"tag {key} has been set twice";
                    return false;
                }
            }
            pairs.Add(new(key, value));
        }
    }

    private static bool TryReadQuoted(string text, ref int i, out string value, out string? error)
    {
        var open = i;
        var builder = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                value = builder.ToString();
                error = null;
                return true;
            }
            if (c == '\\')
            {
                if (i + 1 >= text.Length) break;
                var escaped = text[i + 1];
                i += 2;
                switch (escaped)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u' when i + 4 <= text.Length && int.TryParse(text.AsSpan(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                        builder.Append((char)code);
                        i += 4;
                        break;
                    default:
                        value = string.Empty;
                        return Fail(out error, $"invalid escape '\\{escaped}'", i - 2);
                }
                continue;
            }
            builder.Append(c);
            i++;
        }
        value = string.Empty;
        return Fail(out error, "unterminated quoted value", open);
    }

    private static bool Fail(out string? error, string problem, int index)
    {
        error = string.Create(CultureInfo.InvariantCulture, $"{problem} at pos {index + 1}");
        return false;
    }
}
