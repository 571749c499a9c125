using Threadline.Core.Model;
using Threadline.Query.TraceQL.Evaluation;

namespace Threadline.Query.TraceQL;

/// <summary>
/// A TraceQL search query asked of one whole trace held in memory: whether it finds at least one
/// spanset there. What the tail sampler's <c>traceql</c> policy uses; evaluated exactly as a
/// search evaluates a candidate trace.
/// </summary>
public sealed class TraceQLTraceCondition
{
    private readonly Ast.SpansetExpression _expression;
    private readonly SpansetEvaluator _evaluator;

    private TraceQLTraceCondition(Ast.SpansetExpression expression, TraceQLOptions options)
    {
        _expression = expression;
        var fields = new FieldEvaluator(options.RegexTimeout);
        fields.Prepare(expression);
        _evaluator = new SpansetEvaluator(fields);
    }

    /// <summary>Parses a search query (not a metrics query).</summary>
    /// <exception cref="TraceQLSyntaxException">The query is not valid TraceQL, or is a metrics query.</exception>
    public static TraceQLTraceCondition Compile(string query, TraceQLOptions? options = null)
    {
        options ??= new TraceQLOptions();
        var parsed = TraceQLParser.Parse(query, options);
        if (parsed.Search is null)
            throw new TraceQLSyntaxException(query, 1, 1, "a search query such as { status = error } (a sampling condition selects traces)", "a metrics query");
        return new TraceQLTraceCondition(parsed.Search, options);
    }

    /// <summary>Whether the query finds a spanset in the trace made of <paramref name="spans"/>.</summary>
    public bool Matches(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return false;
        var tree = new TraceTree(spans);
        return _evaluator.Evaluate(_expression, tree, [EvaluatedSpanset.Whole(tree)]).Count > 0;
    }
}
