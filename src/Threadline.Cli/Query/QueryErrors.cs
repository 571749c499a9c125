using Threadline.CommandLine;

namespace Threadline.Cli.Query;

/// <summary>How the query commands report a failed call: one line naming the command, and for a syntax error the query with a caret.</summary>
internal static class QueryErrors
{
    /// <summary>Writes the failure to <paramref name="error"/>; returns the exit code (docs/cli.md).</summary>
    public static async Task<int> ReportAsync(TextWriter error, string command, ServerCallException failure, string? query = null)
    {
        await error.WriteLineAsync($"{command}: {failure.Message.TrimEnd('.')}.").ConfigureAwait(false);
        if (query is not null && failure.Position is { } position)
        {
            foreach (var line in Caret(query, position)) await error.WriteLineAsync(line).ConfigureAwait(false);
        }
        // The server refused what the user typed: a usage error, as on the command line.
        return failure.Failure == ServerFailure.Refused ? ExitCodes.Usage : ExitCodes.Failure;
    }

    /// <summary>
    /// The query's line at <paramref name="position"/> and a caret under its column (1-based;
    /// a position past the end points just after the last character).
    /// </summary>
    internal static IEnumerable<string> Caret(string query, QueryPosition position)
    {
        var lines = query.Split('\n');
        var line = lines[Math.Clamp(position.Line, 1, lines.Length) - 1].TrimEnd('\r');
        var column = Math.Clamp(position.Column, 1, line.Length + 1);
        // Tabs keep their width above the caret.
        var indent = string.Concat(line.Take(column - 1).Select(c => c == '\t' ? '\t' : ' '));
        yield return "  " + line;
        yield return "  " + indent + "^";
    }
}
