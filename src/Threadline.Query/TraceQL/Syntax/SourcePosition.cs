namespace Threadline.Query.TraceQL.Syntax;

/// <summary>Turns a character offset into the 1-based line and column a user sees, and builds syntax errors there.</summary>
internal static class SourcePosition
{
    public static (int Line, int Column) Of(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }

    public static TraceQLSyntaxException Error(string text, int offset, string expected, string found)
    {
        var (line, column) = Of(text, offset);
        return new TraceQLSyntaxException(text, line, column, expected, found);
    }

    /// <summary>A short, printable description of what stands at <paramref name="offset"/>.</summary>
    public static string Describe(string text, int start, int end)
    {
        if (start >= text.Length) return "end of query";
        var length = Math.Clamp(end - start, 1, 24);
        var excerpt = text.Substring(start, Math.Min(length, text.Length - start));
        var printable = new string([.. excerpt.Select(c => char.IsControl(c) ? '?' : c)]) + (end - start > 24 ? "…" : string.Empty);
        // A string literal shows its own quotes.
        return printable[0] is '"' or '`' ? printable : "\"" + printable + "\"";
    }
}
