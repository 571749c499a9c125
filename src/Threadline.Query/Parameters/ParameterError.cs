using System.Text;

namespace Threadline.Query.Parameters;

/// <summary>
/// Why a parameter was refused: its name and a message saying what was wrong and what is
/// accepted, ready to show a user (an API answers it as a 400).
/// </summary>
public readonly record struct ParameterError(string Parameter, string Message)
{
    // Values are echoed so that users see what the server read, but a hostile value must not
    // make the answer large, and text that is not valid UTF-16 cannot be written as JSON.
    private const int MaxEchoLength = 100;

    /// <summary>An error reading <c>Parameter '<paramref name="parameter"/>' <paramref name="problem"/>.</c></summary>
    public static ParameterError Create(string parameter, string problem)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var name = Echo(parameter);
        return new(name, $"Parameter '{name}' {problem}.");
    }

    /// <summary>
    /// <paramref name="text"/> made safe to quote in a message: at most 100 characters (longer
    /// text is cut and ends with …), lone surrogates replaced by U+FFFD.
    /// </summary>
    public static string Echo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > MaxEchoLength;
        var kept = cut ? text.AsSpan(0, char.IsHighSurrogate(text[MaxEchoLength - 1]) ? MaxEchoLength - 1 : MaxEchoLength) : text.AsSpan();
        if (!cut && IsWellFormed(kept)) return text;

        var builder = new StringBuilder(kept.Length + 1);
        foreach (var rune in kept.EnumerateRunes()) builder.Append(rune.ToString());
        if (cut) builder.Append('…');
        return builder.ToString();
    }

    /// <summary>Whether <paramref name="text"/> is valid UTF-16 (no lone surrogates), as JSON and UTF-8 need.</summary>
    internal static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
            i++;
        }
        return true;
    }
}
