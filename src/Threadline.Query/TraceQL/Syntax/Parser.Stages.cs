using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Syntax;

// The pipeline level between | separators. Precedence after Tempo's grammar, loosest first:
// spanset && and ||; structural operators and comparisons; + and -; * / %; ^.
internal sealed partial class Parser
{
    private enum InfixKind : byte
    {
        None,
        Logical,
        Structural,
        Comparison,
        ChildOrGreater,
        ParentOrLess,
        NotSiblingOrNotRegex,
        Arithmetic,
    }

    private static (InfixKind Kind, int Precedence) StageInfix(TokenKind kind) => kind switch
    {
        TokenKind.And or TokenKind.Or => (InfixKind.Logical, 1),
        TokenKind.Greater => (InfixKind.ChildOrGreater, 2),
        TokenKind.Less => (InfixKind.ParentOrLess, 2),
        TokenKind.NotRegex => (InfixKind.NotSiblingOrNotRegex, 2),
        TokenKind.Descendant or TokenKind.Ancestor or TokenKind.Tilde or TokenKind.NotChild or TokenKind.NotParent
            or TokenKind.NotDescendant or TokenKind.NotAncestor or TokenKind.UnionChild or TokenKind.UnionParent
            or TokenKind.UnionDescendant or TokenKind.UnionAncestor or TokenKind.UnionSibling => (InfixKind.Structural, 2),
        TokenKind.Equal or TokenKind.NotEqual or TokenKind.GreaterOrEqual or TokenKind.LessOrEqual or TokenKind.Regex => (InfixKind.Comparison, 2),
        TokenKind.Plus or TokenKind.Minus => (InfixKind.Arithmetic, 3),
        TokenKind.Star or TokenKind.Slash or TokenKind.Percent => (InfixKind.Arithmetic, 4),
        TokenKind.Caret => (InfixKind.Arithmetic, 5),
        _ => (InfixKind.None, 0),
    };

    private Part ParseStage(int minPrecedence)
    {
        var left = ParseStagePrefix();
        while (true)
        {
            var token = Current;
            var (kind, precedence) = StageInfix(token.Kind);
            if (kind == InfixKind.None || precedence < minPrecedence) return left;
            Advance();
            Enter(token);
            var right = ParseStage(token.Kind == TokenKind.Caret ? precedence : precedence + 1);
            Leave();
            left = CombineStages(kind, token, left, right);
        }
    }

    private Part CombineStages(InfixKind kind, Token token, Part left, Part right)
    {
        var start = left.Start;
        var end = right.End;
        var depth = Math.Max(left.Depth, right.Depth) + 1;
        var structural = kind is InfixKind.Logical or InfixKind.Structural
            || (kind is InfixKind.ChildOrGreater or InfixKind.ParentOrLess or InfixKind.NotSiblingOrNotRegex && left is SpansetPart);

        if (structural)
        {
            var op = SpansetOperatorOf(token.Kind);
            var l = left as SpansetPart ?? throw Error(left.Start, $"a spanset ({{ … }} or a parenthesized pipeline) before \"{token.Text}\"", Describe(left));
            var r = right as SpansetPart ?? throw Error(right.Start, $"a spanset ({{ … }} or a parenthesized pipeline) after \"{token.Text}\"", Describe(right));
            return CheckDepth(new SpansetPart(new SpansetOperation(op, l.Expression, r.Expression), start, end, depth));
        }

        if (kind == InfixKind.Arithmetic) return CombineArithmetic(token, left, right, start, end, depth);

        if (token.Kind is TokenKind.Regex or TokenKind.NotRegex)
            throw Error(token, "a comparison (= != < <= > >=) between scalars", Describe(token));
        var comparison = ComparisonOf(token.Kind);

        if (left is MetricsStagePart metricsStage)
        {
            var threshold = RequireLiteral(right, $"a number after \"{token.Text}\" to filter the series by");
            return new MetricsStagePart(metricsStage.First, [.. metricsStage.Seconds, new MetricsFilter(comparison, ToDouble(threshold))], start, end, depth);
        }
        if (left is MetricsPart metricsPart)
        {
            var threshold = RequireLiteral(right, $"a number after \"{token.Text}\" to filter the series by");
            return new MetricsPart(new MetricsWithSecondStages(metricsPart.Expression, [new MetricsFilter(comparison, ToDouble(threshold))]), start, end, depth);
        }
        if (left is ScalarPart leftScalar && right is ScalarPart rightScalar)
        {
            if (leftScalar.Literal is not null && rightScalar.Literal is not null)
                throw Error(start, "an aggregate such as count() or avg(duration) on one side of the comparison", Describe(left) + " " + token.Text + " " + Describe(right));
            CheckScalarTypes(token, leftScalar, rightScalar);
            return CheckDepth(new StagePart(new ScalarFilter(comparison, leftScalar.Expression, rightScalar.Expression), start, end, depth));
        }
        var offender = left is ScalarPart ? right : left;
        throw Error(offender.Start, $"an aggregate (such as count()) or a number on both sides of \"{token.Text}\"", Describe(offender));
    }

    private Part CombineArithmetic(Token token, Part left, Part right, int start, int end, int depth)
    {
        var op = ArithmeticOf(token.Kind);
        if (left is ScalarPart l && right is ScalarPart r)
        {
            CheckScalarTypes(token, l, r);
            if (l.Literal is { } a && r.Literal is { } b)
                return new ScalarPart(new ScalarLiteral(Fold(op, a, b, start)), start, end, 1);
            return CheckDepth(new ScalarPart(new ScalarOperation(op, l.Expression, r.Expression), start, end, depth));
        }
        if (op is ArithmeticOperator.Modulo or ArithmeticOperator.Power && (left is MetricsPart || right is MetricsPart))
            throw Error(token, "+, -, * or / between metrics expressions", Describe(token));
        if (left is MetricsPart ml && right is MetricsPart mr)
            return CheckDepth(new MetricsPart(new MetricsMath(op, ml.Expression, mr.Expression), start, end, depth));
        if (left is MetricsPart series && right is ScalarPart { Literal: { } rightValue })
            return CheckDepth(new MetricsPart(new MetricsScalarMath(op, series.Expression, ToDouble(rightValue), ScalarOnLeft: false), start, end, depth));
        if (left is ScalarPart { Literal: { } leftValue } && right is MetricsPart rightSeries)
            return CheckDepth(new MetricsPart(new MetricsScalarMath(op, rightSeries.Expression, ToDouble(leftValue), ScalarOnLeft: true), start, end, depth));
        var offender = left is ScalarPart or MetricsPart ? right : left;
        throw Error(offender.Start, $"numbers, aggregates or parenthesized metrics queries on both sides of \"{token.Text}\"", Describe(offender));
    }

    private void CheckScalarTypes(Token token, ScalarPart left, ScalarPart right)
    {
        foreach (var side in (ReadOnlySpan<ScalarPart>)[left, right])
        {
            if (side.Literal is { } literal && literal.Type is not (StaticType.Int or StaticType.Double or StaticType.Duration))
                throw Error(side.Start, $"a number or duration beside \"{token.Text}\"", Describe(side));
        }
    }

    private StaticValue RequireLiteral(Part part, string expected)
    {
        if (part is ScalarPart { Literal: { } value } && value.Type is StaticType.Int or StaticType.Double or StaticType.Duration) return value;
        throw Error(part.Start, expected, Describe(part));
    }

    /// <summary>A numeric literal as a double; durations in seconds, as Tempo's metrics compare them.</summary>
    private static double ToDouble(StaticValue value) => value.Type switch
    {
        StaticType.Int => value.AsInt(),
        StaticType.Double => value.AsDouble(),
        StaticType.Duration => value.AsDuration() / 1e9,
        _ => double.NaN,
    };

    /// <summary>Folds arithmetic between literals at parse time, as Tempo does: integers stay integers (division truncates), a float makes a float, durations stay durations.</summary>
    private StaticValue Fold(ArithmeticOperator op, StaticValue a, StaticValue b, int offset)
    {
        if (a.Type == StaticType.Int && b.Type == StaticType.Int)
        {
            long x = a.AsInt(), y = b.AsInt();
            if (y == 0 && op is ArithmeticOperator.Divide or ArithmeticOperator.Modulo)
                throw Error(offset, "a non-zero divisor", "division by zero");
            try
            {
                return StaticValue.Int(op switch
                {
                    ArithmeticOperator.Add => checked(x + y),
                    ArithmeticOperator.Subtract => checked(x - y),
                    ArithmeticOperator.Multiply => checked(x * y),
                    ArithmeticOperator.Divide => x / y,
                    ArithmeticOperator.Modulo => x % y,
                    _ => checked((long)Math.Pow(x, y)),
                });
            }
            catch (OverflowException)
            {
                throw Error(offset, $"a result between {long.MinValue} and {long.MaxValue}", "an integer overflow");
            }
        }
        var duration = a.Type == StaticType.Duration || b.Type == StaticType.Duration;
        double p = duration ? Nanos(a) : ToDouble(a), q = duration ? Nanos(b) : ToDouble(b);
        var result = ScalarArithmetic.Apply(op, p, q);
        if (!duration) return StaticValue.Double(result);
        if (double.IsNaN(result) || result < 0 || result > long.MaxValue)
            throw Error(offset, "a duration of zero or more", LiteralText.Number(result) + "ns");
        return StaticValue.Duration((ulong)result);

        static double Nanos(StaticValue v) => v.Type == StaticType.Duration ? v.AsDuration() : ToDouble(v);
    }

    private static SpansetOperator SpansetOperatorOf(TokenKind kind) => kind switch
    {
        TokenKind.And => SpansetOperator.And,
        TokenKind.Or => SpansetOperator.Union,
        TokenKind.Greater => SpansetOperator.Child,
        TokenKind.Less => SpansetOperator.Parent,
        TokenKind.Descendant => SpansetOperator.Descendant,
        TokenKind.Ancestor => SpansetOperator.Ancestor,
        TokenKind.Tilde => SpansetOperator.Sibling,
        TokenKind.NotChild => SpansetOperator.NotChild,
        TokenKind.NotParent => SpansetOperator.NotParent,
        TokenKind.NotDescendant => SpansetOperator.NotDescendant,
        TokenKind.NotAncestor => SpansetOperator.NotAncestor,
        TokenKind.NotRegex => SpansetOperator.NotSibling,
        TokenKind.UnionChild => SpansetOperator.UnionChild,
        TokenKind.UnionParent => SpansetOperator.UnionParent,
        TokenKind.UnionDescendant => SpansetOperator.UnionDescendant,
        TokenKind.UnionAncestor => SpansetOperator.UnionAncestor,
        TokenKind.UnionSibling => SpansetOperator.UnionSibling,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static ComparisonOperator ComparisonOf(TokenKind kind) => kind switch
    {
        TokenKind.Equal => ComparisonOperator.Equal,
        TokenKind.NotEqual => ComparisonOperator.NotEqual,
        TokenKind.Less => ComparisonOperator.Less,
        TokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
        TokenKind.Greater => ComparisonOperator.Greater,
        TokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static ArithmeticOperator ArithmeticOf(TokenKind kind) => kind switch
    {
        TokenKind.Plus => ArithmeticOperator.Add,
        TokenKind.Minus => ArithmeticOperator.Subtract,
        TokenKind.Star => ArithmeticOperator.Multiply,
        TokenKind.Slash => ArithmeticOperator.Divide,
        TokenKind.Percent => ArithmeticOperator.Modulo,
        _ => ArithmeticOperator.Power,
    };

    // ---- operands ----

    private Part ParseStagePrefix()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.OpenBrace:
            {
                Advance();
                if (Current.Kind == TokenKind.CloseBrace)
                {
                    Advance();
                    return new SpansetPart(SpansetFilter.All, token.Start, Previous.End, 1);
                }
                Enter(token);
                var condition = ParseField(0);
                var expression = condition.IsNil ? throw Error(condition.Start, "a condition", "nil (nil can only be compared with = or !=)") : condition.Expression!;
                if (expression.Type is not (FieldType.Bool or FieldType.Unknown))
                    throw Error(condition.Start, "a condition (true or false) inside { }", FieldTypes.Describe(expression.Type) + " " + Describe(condition));
                Expect(TokenKind.CloseBrace, "\"}\" or an operator");
                Leave();
                return new SpansetPart(new SpansetFilter(expression), token.Start, Previous.End, condition.Depth + 1);
            }
            case TokenKind.OpenParen:
                return ParseParenthesized(token);
            // Strings and booleans are read too, so that a comparison with one fails naming its type.
            case TokenKind.Integer or TokenKind.Float or TokenKind.Duration or TokenKind.String or TokenKind.True or TokenKind.False:
                Advance();
                TryStatic(token, out var literal);
                return new ScalarPart(new ScalarLiteral(literal), token.Start, token.End, 1);
            case TokenKind.Minus:
            {
                Advance();
                Enter(token);
                var operand = ParseStage(4);
                Leave();
                if (operand is ScalarPart { Literal: { } value } && value.Type is StaticType.Int or StaticType.Double)
                {
                    var negated = value.Type == StaticType.Int ? StaticValue.Int(-value.AsInt()) : StaticValue.Double(-value.AsDouble());
                    return new ScalarPart(new ScalarLiteral(negated), token.Start, operand.End, 1);
                }
                throw Error(operand.Start, "a number after -", Describe(operand));
            }
            case TokenKind.Count or TokenKind.Avg or TokenKind.Min or TokenKind.Max or TokenKind.Sum:
                return ParseAggregate(token);
            case TokenKind.By:
            {
                Advance();
                Expect(TokenKind.OpenParen, "\"(\" after by");
                Enter(token);
                var field = ParseField(0);
                var expression = RequireValue(field, "by(");
                Expect(TokenKind.CloseParen, "\")\" to close by(...)");
                Leave();
                return new StagePart(new GroupBy(expression), token.Start, Previous.End, field.Depth + 1);
            }
            case TokenKind.Select:
            {
                Advance();
                Expect(TokenKind.OpenParen, "\"(\" after select");
                var fields = ParseAttributeList("in select(...)");
                Expect(TokenKind.CloseParen, "\",\" or \")\" to close select(...)");
                return new StagePart(new Select(fields), token.Start, Previous.End, 1);
            }
            case TokenKind.Coalesce:
                Advance();
                Expect(TokenKind.OpenParen, "\"(\" after coalesce");
                Expect(TokenKind.CloseParen, "\")\" (coalesce takes no arguments)");
                return new StagePart(Coalesce.Instance, token.Start, Previous.End, 1);
            case TokenKind.Rate or TokenKind.CountOverTime or TokenKind.MinOverTime or TokenKind.MaxOverTime or TokenKind.SumOverTime
                or TokenKind.AvgOverTime or TokenKind.QuantileOverTime or TokenKind.HistogramOverTime:
                return ParseMetricsFunction(token);
            case TokenKind.Compare:
                return ParseCompare(token);
            case TokenKind.TopK or TokenKind.BottomK:
            {
                Advance();
                Expect(TokenKind.OpenParen, $"\"(\" after {token.Text}");
                var k = ParsePositiveInteger($"the number of series {token.Text} keeps");
                Expect(TokenKind.CloseParen, $"\")\" to close {token.Text}(...)");
                MetricsSecondStage stage = token.Kind == TokenKind.TopK ? new TopK(k) : new BottomK(k);
                return new MetricsStagePart(null, [stage], token.Start, Previous.End, 1);
            }
            case TokenKind.End:
                throw Error(token, "a spanset { … }, an aggregate such as count(), a metrics function such as rate(), or \"(\"", "end of query");
            default:
                throw Error(token, "a spanset { … }, an aggregate such as count(), a metrics function such as rate(), or \"(\"", Describe(token));
        }
    }

    /// <summary><c>( … )</c> at the pipeline level: a spanset expression or pipeline, a scalar, or a metrics pipeline.</summary>
    private Part ParseParenthesized(Token open)
    {
        Advance();
        Enter(open);
        var parts = ParseParts();
        Expect(TokenKind.CloseParen, "\")\", \"|\" or an operator");
        Leave();
        var end = Previous.End;
        if (parts.Count == 1)
        {
            return parts[0] switch
            {
                SpansetPart p => p with { Start = open.Start, End = end },
                ScalarPart p => p with { Start = open.Start, End = end },
                MetricsPart p => p with { Start = open.Start, End = end },
                StagePart p => new SpansetPart(new Pipeline([p.Stage]), open.Start, end, p.Depth + 1),
                var p => throw Error(p.Start, "a spanset, a scalar or a metrics pipeline inside ( )", Describe(p)),
            };
        }
        if (parts[^1] is ScalarPart scalar)
            throw Error(open.Start, "a spanset or metrics pipeline in parentheses (comparing whole pipelines, as in ({ } | count()) > 2, is not supported, as in Tempo; write { } | count() > 2)", Describe(scalar));
        var assembled = Assemble(parts);
        return assembled with { Start = open.Start, End = end };
    }

    private ScalarPart ParseAggregate(Token token)
    {
        Advance();
        Expect(TokenKind.OpenParen, $"\"(\" after {token.Text}");
        var function = token.Kind switch
        {
            TokenKind.Count => AggregateFunction.Count,
            TokenKind.Avg => AggregateFunction.Avg,
            TokenKind.Min => AggregateFunction.Min,
            TokenKind.Max => AggregateFunction.Max,
            _ => AggregateFunction.Sum,
        };
        if (function == AggregateFunction.Count)
        {
            Expect(TokenKind.CloseParen, "\")\" (count takes no arguments)");
            return new ScalarPart(new Aggregate(function, null), token.Start, Previous.End, 1);
        }
        Enter(token);
        var field = ParseField(0);
        var expression = RequireValue(field, token.Text + "(");
        if (expression.Type is not (FieldType.Int or FieldType.Float or FieldType.Duration or FieldType.Unknown))
            throw Error(field.Start, $"a numeric field (such as duration or span.size) in {token.Text}()", FieldTypes.Describe(expression.Type) + " " + Describe(field));
        if (!ReferencesSpan(expression))
            throw Error(field.Start, $"a field of the span (an attribute or intrinsic) in {token.Text}()", Describe(field));
        Expect(TokenKind.CloseParen, $"\")\" to close {token.Text}(...)");
        Leave();
        return new ScalarPart(new Aggregate(function, expression), token.Start, Previous.End, field.Depth + 1);
    }

    private static bool ReferencesSpan(FieldExpression expression) => expression switch
    {
        AttributeExpression or IntrinsicExpression => true,
        BinaryExpression b => ReferencesSpan(b.Left) || ReferencesSpan(b.Right),
        UnaryExpression u => ReferencesSpan(u.Operand),
        _ => false,
    };

    private MetricsStagePart ParseMetricsFunction(Token token)
    {
        Advance();
        Expect(TokenKind.OpenParen, $"\"(\" after {token.Text}");
        var function = token.Kind switch
        {
            TokenKind.Rate => MetricsFunction.Rate,
            TokenKind.CountOverTime => MetricsFunction.CountOverTime,
            TokenKind.MinOverTime => MetricsFunction.MinOverTime,
            TokenKind.MaxOverTime => MetricsFunction.MaxOverTime,
            TokenKind.SumOverTime => MetricsFunction.SumOverTime,
            TokenKind.AvgOverTime => MetricsFunction.AvgOverTime,
            TokenKind.QuantileOverTime => MetricsFunction.QuantileOverTime,
            _ => MetricsFunction.HistogramOverTime,
        };
        FieldExpression? field = null;
        var quantiles = new List<double>();
        if (function is MetricsFunction.Rate or MetricsFunction.CountOverTime)
        {
            Expect(TokenKind.CloseParen, $"\")\" ({token.Text} takes no arguments)");
        }
        else
        {
            field = ParseAttribute($"in {token.Text}()");
            if (function == MetricsFunction.QuantileOverTime)
            {
                Expect(TokenKind.Comma, "\",\" and at least one quantile, as in quantile_over_time(duration, .99)");
                do
                {
                    var q = Current;
                    if (q.Kind is not (TokenKind.Integer or TokenKind.Float))
                        throw Error(q, "a quantile between 0 and 1, such as .99", Describe(q));
                    var value = q.Kind == TokenKind.Integer ? q.Integer : q.Float;
                    if (value is < 0 or > 1) throw Error(q, "a quantile between 0 and 1, such as .99", Describe(q));
                    quantiles.Add(value);
                    Advance();
                    if (Current.Kind != TokenKind.Comma) break;
                    Advance();
                }
                while (true);
            }
            Expect(TokenKind.CloseParen, $"\")\" to close {token.Text}(...)");
        }
        IReadOnlyList<FieldExpression> by = [];
        if (Current.Kind == TokenKind.By)
        {
            Advance();
            Expect(TokenKind.OpenParen, "\"(\" after by");
            by = ParseAttributeList("in by(...)");
            Expect(TokenKind.CloseParen, "\",\" or \")\" to close by(...)");
        }
        return new MetricsStagePart(new MetricsAggregate(function, field, quantiles, by), [], token.Start, Previous.End, 1);
    }

    private MetricsStagePart ParseCompare(Token token)
    {
        Advance();
        Expect(TokenKind.OpenParen, "\"(\" after compare");
        var selectionToken = Current;
        if (selectionToken.Kind != TokenKind.OpenBrace)
            throw Error(selectionToken, "a spanset filter { … } selecting the spans to compare", Describe(selectionToken));
        var selection = (SpansetPart)ParseStagePrefix();
        var topN = MetricsCompare.DefaultTopN;
        long start = 0, end = 0;
        if (Current.Kind == TokenKind.Comma)
        {
            Advance();
            topN = ParsePositiveInteger("the number of values per attribute (topN)");
            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
                start = ParseNonNegativeInteger("the start of the selection (Unix nanoseconds)");
                Expect(TokenKind.Comma, "\",\" and the end of the selection (Unix nanoseconds)");
                end = ParseNonNegativeInteger("the end of the selection (Unix nanoseconds)");
            }
        }
        Expect(TokenKind.CloseParen, "\")\" to close compare(...)");
        return new MetricsStagePart(new MetricsCompare((SpansetFilter)selection.Expression, topN, start, end), [], token.Start, Previous.End, 1);
    }

    private int ParsePositiveInteger(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Integer || token.Integer < 1 || token.Integer > int.MaxValue)
            throw Error(token, what + $" (an integer from 1 to {int.MaxValue})", Describe(token));
        Advance();
        return (int)token.Integer;
    }

    private long ParseNonNegativeInteger(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Integer) throw Error(token, what + " (an integer of 0 or more)", Describe(token));
        Advance();
        return token.Integer;
    }

    private List<FieldExpression> ParseAttributeList(string context)
    {
        var fields = new List<FieldExpression> { ParseAttribute(context) };
        while (Current.Kind == TokenKind.Comma)
        {
            Advance();
            fields.Add(ParseAttribute(context));
        }
        return fields;
    }
}
