namespace Threadline.Query.TraceQL;

/// <summary>
/// A query that does not parse. <see cref="Line"/> and <see cref="Column"/> (1-based, in
/// characters) point at the offending token so that a caller can draw a caret under it.
/// </summary>
public sealed class TraceQLSyntaxException : Exception
{
    public TraceQLSyntaxException(string query, int line, int column, string expected, string found)
        : base($"line {line}, column {column}: expected {expected}, found {found}")
    {
        Query = query;
        Line = line;
        Column = column;
        Expected = expected;
        Found = found;
    }

    /// <summary>The query text as given.</summary>
    public string Query { get; }

    /// <summary>1-based line of the offending token.</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) of the offending token on its line.</summary>
    public int Column { get; }

    /// <summary>What the parser expected there, e.g. <c>a field, a value or "}"</c>.</summary>
    public string Expected { get; }

    /// <summary>What it found there, e.g. <c>"&amp;&amp;"</c> or <c>end of query</c>.</summary>
    public string Found { get; }
}
