using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// TraceQL's regular expressions, compiled once per process: anchored at both ends (Tempo
/// matches the whole value, as Prometheus does) and non-backtracking (linear time, RE2's
/// semantics). Building one costs about a millisecond and a quarter of a megabyte, so a
/// dashboard that re-runs a query must not pay it each time. Bounded: when full, it starts over.
/// </summary>
internal static class PatternCache
{
    private const int MaxPatterns = 512;
    private static readonly ConcurrentDictionary<(string Pattern, TimeSpan Timeout), Regex> Compiled = new();

    /// <exception cref="TraceQLQueryException">The pattern uses a construct linear-time matching does not support (backreferences, lookarounds).</exception>
    public static Regex Get(string pattern, TimeSpan timeout)
    {
        if (Compiled.TryGetValue((pattern, timeout), out var regex)) return regex;
        try
        {
            regex = new Regex("^(?:" + pattern + ")$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, timeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new TraceQLQueryException($"The regular expression {Ast.LiteralText.Quote(pattern)} cannot be matched in linear time: {e.Message}");
        }
        if (Compiled.Count >= MaxPatterns) Compiled.Clear();
        Compiled[(pattern, timeout)] = regex;
        return regex;
    }
}
