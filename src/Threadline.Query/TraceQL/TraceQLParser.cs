using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Syntax;

namespace Threadline.Query.TraceQL;

/// <summary>Parses TraceQL text into a <see cref="TraceQLQuery"/>.</summary>
public static class TraceQLParser
{
    /// <summary>Parses <paramref name="query"/> within the length and nesting bounds of <paramref name="options"/> (the defaults when null).</summary>
    /// <exception cref="TraceQLSyntaxException">
    /// The query is not valid TraceQL, is too long or too deeply nested, or applies an operator to
    /// a type it does not fit (<c>{ duration = "x" }</c>); the exception names line, column, what
    /// was expected and what was found.
    /// </exception>
    public static TraceQLQuery Parse(string query, TraceQLOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= DefaultOptions;
        if (query.Length > options.MaxQueryLength)
        {
            throw SourcePosition.Error(query, options.MaxQueryLength,
                $"a query of at most {options.MaxQueryLength} characters (TraceQLOptions.MaxQueryLength)", $"{query.Length} characters");
        }
        return Parser.Parse(query, options.MaxNestingDepth);
    }

    private static readonly TraceQLOptions DefaultOptions = new();
}
