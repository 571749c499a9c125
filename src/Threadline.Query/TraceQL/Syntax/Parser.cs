using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Syntax;

/// <summary>
/// Parses TraceQL into a <see cref="TraceQLQuery"/>, following the grammar of Tempo's
/// <c>pkg/traceql/expr.y</c>. Hand-written: a precedence-climbing parser over the pipeline level
/// (<c>|</c>, spanset <c>&amp;&amp; ||</c>, structural operators, comparisons, arithmetic) whose
/// operands are typed parts (spansets, aggregates, stages, metrics functions), and another over
/// field expressions inside <c>{ }</c>. Every error names the line, column, what was expected
/// and what was found; type errors Tempo finds after parsing are found here, at their position.
/// </summary>
internal sealed partial class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly int _maxDepth;
    private int _index;
    private int _nesting;

    private Parser(string text, List<Token> tokens, int maxDepth)
    {
        _text = text;
        _tokens = tokens;
        _maxDepth = maxDepth;
    }

    /// <exception cref="TraceQLSyntaxException">The text is not a valid query.</exception>
    public static TraceQLQuery Parse(string text, int maxDepth)
    {
        var parser = new Parser(text, Lexer.Tokenize(text), maxDepth);
        return parser.ParseRoot();
    }

    private Token Current => _tokens[_index];

    private Token Previous => _tokens[Math.Max(0, _index - 1)];

    private void Advance()
    {
        if (_index < _tokens.Count - 1) _index++;
    }

    private void Expect(TokenKind kind, string expected)
    {
        if (Current.Kind != kind) throw Error(Current, expected, Describe(Current));
        Advance();
    }

    private TraceQLSyntaxException Error(Token token, string expected, string found) => SourcePosition.Error(_text, token.Start, expected, found);

    private TraceQLSyntaxException Error(int offset, string expected, string found) => SourcePosition.Error(_text, offset, expected, found);

    private string Describe(Token token) => SourcePosition.Describe(_text, token.Start, token.End);

    private string Describe(Part part) => SourcePosition.Describe(_text, part.Start, part.End);

    // Parentheses, braces and prefix operators recurse; this bounds the recursion (and so the
    // stack) whatever the input.
    private void Enter(Token token)
    {
        if (++_nesting > _maxDepth)
            throw Error(token, $"at most {_maxDepth} levels of nesting", "deeper nesting");
    }

    private void Leave() => _nesting--;

    private Field CheckDepth(Field field)
    {
        if (field.Depth > _maxDepth) throw Error(field.Start, $"an expression at most {_maxDepth} operators deep", "a deeper expression");
        return field;
    }

    private T CheckDepth<T>(T part) where T : Part
    {
        if (part.Depth > _maxDepth) throw Error(part.Start, $"an expression at most {_maxDepth} operators deep", "a deeper expression");
        return part;
    }

    // ---- parts: the typed operands of the pipeline level ----

    private abstract record Part(int Start, int End, int Depth);

    private sealed record SpansetPart(SpansetExpression Expression, int Start, int End, int Depth) : Part(Start, End, Depth);

    /// <summary>A scalar; <see cref="Literal"/> when it holds no aggregate (and so is folded to a constant).</summary>
    private sealed record ScalarPart(ScalarExpression Expression, int Start, int End, int Depth) : Part(Start, End, Depth)
    {
        public StaticValue? Literal => Expression is ScalarLiteral literal ? literal.Value : null;
    }

    /// <summary>A pipeline stage that is not a spanset expression: <c>by()</c>, <c>select()</c>, <c>coalesce()</c>, a scalar filter.</summary>
    private sealed record StagePart(PipelineStage Stage, int Start, int End, int Depth) : Part(Start, End, Depth);

    /// <summary>A metrics function and the second stages written after it, or second stages alone (<c>topk(5)</c>).</summary>
    private sealed record MetricsStagePart(MetricsFirstStage? First, IReadOnlyList<MetricsSecondStage> Seconds, int Start, int End, int Depth)
        : Part(Start, End, Depth);

    /// <summary>A whole metrics expression: a parenthesized metrics pipeline, or arithmetic over them.</summary>
    private sealed record MetricsPart(MetricsExpression Expression, int Start, int End, int Depth) : Part(Start, End, Depth);

    // ---- root ----

    private TraceQLQuery ParseRoot()
    {
        if (Current.Kind == TokenKind.End) throw Error(Current, "a query such as { } or { span.http.method = \"GET\" }", "an empty query");
        var parts = ParseParts();
        IReadOnlyList<QueryHint> hints = [];
        if (Current.Kind == TokenKind.With) hints = ParseHints();
        if (Current.Kind != TokenKind.End)
            throw Error(Current, Current.Kind == TokenKind.CloseParen ? "end of query (this \")\" has no \"(\")" : "\"|\", an operator, \"with\" or end of query", Describe(Current));

        var body = Assemble(parts);
        return body switch
        {
            SpansetPart spanset => TraceQLQuery.ForSearch(spanset.Expression, hints),
            MetricsPart metrics => TraceQLQuery.ForMetrics(metrics.Expression, hints),
            _ => throw new InvalidOperationException("Assemble returns spansets or metrics only."),
        };
    }

    /// <summary><c>part (| part)*</c>.</summary>
    private List<Part> ParseParts()
    {
        var parts = new List<Part> { ParseStage(0) };
        while (Current.Kind == TokenKind.Pipe)
        {
            Advance();
            parts.Add(ParseStage(0));
        }
        return parts;
    }

    /// <summary>
    /// Joins the parts of a pipeline into a spanset expression or a metrics expression: stages
    /// before a metrics function are its selection, stages after it second stages.
    /// </summary>
    private Part Assemble(List<Part> parts)
    {
        var start = parts[0].Start;
        var end = parts[^1].End;
        var depth = parts.Max(p => p.Depth) + 1;

        if (parts[0] is MetricsPart metrics)
        {
            if (parts.Count == 1) return metrics;
            var seconds = new List<MetricsSecondStage>();
            foreach (var part in parts.Skip(1))
            {
                if (part is not MetricsStagePart { First: null } stage)
                    throw Error(part.Start, "a second stage (topk(), bottomk() or a comparison) after a metrics expression", Describe(part));
                seconds.AddRange(stage.Seconds);
            }
            return new MetricsPart(new MetricsWithSecondStages(metrics.Expression, seconds), start, end, depth);
        }

        var first = parts.FindIndex(p => p is MetricsStagePart { First: not null });
        if (first >= 0)
        {
            if (first == 0)
                throw Error(parts[0].Start, "a span selection such as { } before the metrics function, as in { } | rate()", Describe(parts[0]));
            var function = (MetricsStagePart)parts[first];
            var selection = AssembleSpansets(parts.GetRange(0, first), "before a metrics function");
            var seconds = new List<MetricsSecondStage>(function.Seconds);
            foreach (var part in parts.Skip(first + 1))
            {
                if (part is not MetricsStagePart { First: null } stage)
                    throw Error(part.Start, "a second stage (topk(), bottomk() or a comparison) after the metrics function", Describe(part));
                seconds.AddRange(stage.Seconds);
            }
            if (function.First is MetricsCompare && seconds.Count > 0)
                throw Error(parts[first + 1 < parts.Count ? first + 1 : first].Start, "nothing after compare() (it takes no second stage)", Describe(parts[^1]));
            return new MetricsPart(new MetricsPipeline(selection, function.First!, seconds), start, end, depth);
        }

        return new SpansetPart(AssembleSpansets(parts, "in a search"), start, end, depth);
    }

    private SpansetExpression AssembleSpansets(List<Part> parts, string context)
    {
        var stages = new List<PipelineStage>(parts.Count);
        foreach (var part in parts)
        {
            stages.Add(part switch
            {
                SpansetPart spanset => spanset.Expression,
                StagePart stage => stage.Stage,
                ScalarPart scalar => throw Error(scalar.Start, $"a comparison after {Describe(scalar)}, as in count() > 2", "a value that is never compared"),
                MetricsStagePart second => throw Error(second.Start, $"a spanset, a filter or a grouping {context}", Describe(second) + " (second stages follow a metrics function)"),
                MetricsPart metrics => throw Error(metrics.Start, $"a spanset, a filter or a grouping {context}", "a metrics expression"),
                _ => throw new InvalidOperationException("Unknown part."),
            });
        }
        return stages.Count == 1 && stages[0] is SpansetExpression only ? only : new Pipeline(stages);
    }

    private IReadOnlyList<QueryHint> ParseHints()
    {
        Advance();
        Expect(TokenKind.OpenParen, "\"(\" after with");
        var hints = new List<QueryHint>();
        do
        {
            var name = Current;
            if (name.Kind != TokenKind.Identifier && !Keywords.Words.ContainsKey(name.Text))
                throw Error(name, "a hint name such as most_recent or sample", Describe(name));
            Advance();
            Expect(TokenKind.Equal, "\"=\" after the hint name");
            var negative = Current.Kind == TokenKind.Minus;
            if (negative) Advance();
            var valueToken = Current;
            if (!TryStatic(valueToken, out var value))
                throw Error(valueToken, "a value (a string, number, duration or boolean) for the hint", Describe(valueToken));
            if (negative)
            {
                value = value.Type switch
                {
                    StaticType.Int => StaticValue.Int(-value.AsInt()),
                    StaticType.Double => StaticValue.Double(-value.AsDouble()),
                    _ => throw Error(valueToken, "a number after -", Describe(valueToken)),
                };
            }
            Advance();
            hints.Add(new QueryHint(name.Text, value));
            if (Current.Kind != TokenKind.Comma) break;
            Advance();
        }
        while (true);
        Expect(TokenKind.CloseParen, "\",\" or \")\" to close with(...)");
        return hints;
    }
}
