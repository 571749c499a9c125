using System.Text;

namespace Threadline.Sdk.Processing;

/// <summary>
/// Finds e-mail addresses, payment card numbers and Authorization credentials in text by scanning, not
/// by regular expressions: each rule first checks for the one character or word it cannot match without
/// ('@', 13 digits, "bearer"/"basic"), so a value with nothing sensitive costs one quick pass.
/// </summary>
internal static class SensitiveText
{
    public static string RedactEmailAddresses(string text, string replacement)
    {
        if (!text.Contains('@')) return text;
        StringBuilder? output = null;
        var copied = 0;
        var at = text.IndexOf('@');
        while (at >= 0)
        {
            var start = at;
            while (start > copied && IsLocalPartChar(text[start - 1])) start--;
            var end = ScanDomain(text, at + 1);
            if (start < at && end > 0)
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copied, start - copied).Append(replacement);
                copied = end;
                at = end < text.Length ? text.IndexOf('@', end) : -1;
            }
            else
            {
                at = at + 1 < text.Length ? text.IndexOf('@', at + 1) : -1;
            }
        }
        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    public static string RedactCardNumbers(string text, string replacement)
    {
        if (CountDigits(text) < 13) return text;
        StringBuilder? output = null;
        var copied = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]) || (i > 0 && char.IsAsciiLetterOrDigit(text[i - 1])))
            {
                i++;
                continue;
            }
            // A run of digits with single space or dash separators: "4111 1111 1111 1111", "4111-1111-...".
            var start = i;
            var end = i;
            var digits = 0;
            var j = i;
            while (j < text.Length)
            {
                if (char.IsAsciiDigit(text[j]))
                {
                    digits++;
                    end = ++j;
                }
                else if ((text[j] == ' ' || text[j] == '-') && j + 1 < text.Length && char.IsAsciiDigit(text[j + 1]))
                {
                    j++;
                }
                else
                {
                    break;
                }
            }
            var boundedRight = end == text.Length || !char.IsAsciiLetter(text[end]);
            if (digits is >= 13 and <= 19 && boundedRight && PassesLuhn(text, start, end))
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copied, start - copied).Append(replacement);
                copied = end;
            }
            i = end;
        }
        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    public static string RedactAuthorizationCredentials(string text, string replacement)
    {
        var redacted = RedactAfterScheme(text, "bearer", replacement);
        return RedactAfterScheme(redacted, "basic", replacement);
    }

    private static string RedactAfterScheme(string text, string scheme, string replacement)
    {
        var found = text.IndexOf(scheme, StringComparison.OrdinalIgnoreCase);
        if (found < 0) return text;
        StringBuilder? output = null;
        var copied = 0;
        while (found >= 0)
        {
            var credentialStart = found + scheme.Length;
            var startsWord = found == 0 || !char.IsAsciiLetterOrDigit(text[found - 1]);
            var separated = credentialStart < text.Length && (text[credentialStart] == ' ' || text[credentialStart] == '\t');
            var next = credentialStart;
            if (startsWord && separated)
            {
                while (credentialStart < text.Length && (text[credentialStart] == ' ' || text[credentialStart] == '\t')) credentialStart++;
                var end = credentialStart;
                while (end < text.Length && IsCredentialChar(text[end])) end++;
                // Short words after "basic" are prose ("basic plan"), not credentials.
                if (end - credentialStart >= 8)
                {
                    output ??= new StringBuilder(text.Length);
                    output.Append(text, copied, credentialStart - copied).Append(replacement);
                    copied = end;
                }
                next = end;
            }
            found = next < text.Length ? text.IndexOf(scheme, next, StringComparison.OrdinalIgnoreCase) : -1;
        }
        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Whether an attribute key names a secret; see <see cref="RedactionOptions.RedactSecretKeys"/>.</summary>
    public static bool IsSecretKey(string key)
    {
        ReadOnlySpan<char> previous = default;
        var start = 0;
        for (var i = 0; i <= key.Length; i++)
        {
            var boundary = i == key.Length || key[i] is '.' or '_' or '-' or ' ' or '/' or ':'
                || (i > start && char.IsAsciiLetterUpper(key[i]) && char.IsAsciiLetterLower(key[i - 1]));
            if (!boundary) continue;
            var word = key.AsSpan(start, i - start);
            if (IsSecretWord(word, previous)) return true;
            if (!word.IsEmpty) previous = word;
            start = i < key.Length && char.IsAsciiLetterUpper(key[i]) ? i : i + 1;
        }
        return false;
    }

    private static bool IsSecretWord(ReadOnlySpan<char> word, ReadOnlySpan<char> previous)
    {
        if (word.IsEmpty) return false;
        if (Is(word, "password") || Is(word, "passwd") || Is(word, "pwd") || Is(word, "secret") || Is(word, "token")
            || Is(word, "apikey") || Is(word, "authorization") || Is(word, "cookie") || Is(word, "credential")
            || Is(word, "credentials") || Is(word, "privatekey"))
        {
            return true;
        }
        return Is(word, "key") && (Is(previous, "api") || Is(previous, "private") || Is(previous, "access"));
    }

    private static bool Is(ReadOnlySpan<char> word, string expected) => word.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static int ScanDomain(string text, int from)
    {
        // A domain is labels of letters, digits and dashes joined by dots, ending in a label of 2+ letters.
        if (from >= text.Length || !char.IsAsciiLetterOrDigit(text[from])) return -1;
        var end = from;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '.')) end++;
        while (end > from && text[end - 1] is '.' or '-') end--;
        var lastDot = text.LastIndexOf('.', end - 1, end - from);
        if (lastDot <= from || end - lastDot - 1 < 2) return -1;
        for (var k = lastDot + 1; k < end; k++)
        {
            if (!char.IsAsciiLetter(text[k])) return -1;
        }
        return end;
    }

    private static bool IsLocalPartChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsCredentialChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '=';

    private static int CountDigits(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) count++;
        }
        return count;
    }

    private static bool PassesLuhn(string text, int start, int end)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = end - 1; i >= start; i--)
        {
            if (!char.IsAsciiDigit(text[i])) continue;
            var digit = text[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9) digit -= 9;
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
