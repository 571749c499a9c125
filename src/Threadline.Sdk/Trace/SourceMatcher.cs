namespace Threadline.Sdk;

/// <summary>
/// Matches ActivitySource names against the configured names and wildcards. It runs once per source
/// (when the source is created or the listener added), never per span.
/// </summary>
internal sealed class SourceMatcher
{
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _patterns = [];

    public SourceMatcher(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (name.Contains('*')) _patterns.Add(name);
            else _exact.Add(name);
        }
    }

    public bool Matches(string sourceName)
    {
        if (_exact.Contains(sourceName)) return true;
        foreach (var pattern in _patterns)
        {
            if (WildcardMatches(pattern, sourceName)) return true;
        }
        return false;
    }

    /// <summary>'*' stands for any run of characters, including none; case is ignored.</summary>
    internal static bool WildcardMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Greedy matching with one backtrack point: enough for '*' and linear in practice.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
