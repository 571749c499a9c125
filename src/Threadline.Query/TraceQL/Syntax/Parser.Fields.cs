using System.Text.RegularExpressions;
using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Syntax;

// Field expressions: what stands inside { … } and inside aggregates and by(). Precedence after
// Tempo's grammar, loosest first: && and || (one level, left to right), comparisons,
// + and -, unary !, * / %, ^ (right to left).
internal sealed partial class Parser
{
    /// <summary>A field expression with where it starts and how deep its tree is.</summary>
    private readonly record struct Field(FieldExpression? Expression, int Start, int End, int Depth)
    {
        /// <summary>The bare <c>nil</c> literal, allowed only beside = and !=.</summary>
        public bool IsNil => Expression is null;
    }

    private FieldExpression ParseCondition()
    {
        var field = ParseField(0);
        if (field.IsNil) throw Error(field.Start, "a condition", "nil (nil can only be compared with = or !=)");
        return field.Expression!;
    }

    private Field ParseField(int minPrecedence)
    {
        var left = ParseFieldPrefix();
        while (true)
        {
            var token = Current;
            var (op, precedence, rightAssociative) = FieldInfix(token.Kind);
            if (precedence == 0 || precedence < minPrecedence) return left;
            Advance();
            Enter(token);
            var right = ParseField(rightAssociative ? precedence : precedence + 1);
            Leave();
            left = CombineFields(op, token, left, right);
        }
    }

    private static (BinaryOperator Op, int Precedence, bool RightAssociative) FieldInfix(TokenKind kind) => kind switch
    {
        TokenKind.And => (BinaryOperator.And, 1, false),
        TokenKind.Or => (BinaryOperator.Or, 1, false),
        TokenKind.Equal => (BinaryOperator.Equal, 2, false),
        TokenKind.NotEqual => (BinaryOperator.NotEqual, 2, false),
        TokenKind.Less => (BinaryOperator.Less, 2, false),
        TokenKind.LessOrEqual => (BinaryOperator.LessOrEqual, 2, false),
        TokenKind.Greater => (BinaryOperator.Greater, 2, false),
        TokenKind.GreaterOrEqual => (BinaryOperator.GreaterOrEqual, 2, false),
        TokenKind.Regex => (BinaryOperator.Regex, 2, false),
        TokenKind.NotRegex => (BinaryOperator.NotRegex, 2, false),
        TokenKind.Plus => (BinaryOperator.Add, 3, false),
        TokenKind.Minus => (BinaryOperator.Subtract, 3, false),
        TokenKind.Star => (BinaryOperator.Multiply, 5, false),
        TokenKind.Slash => (BinaryOperator.Divide, 5, false),
        TokenKind.Percent => (BinaryOperator.Modulo, 5, false),
        TokenKind.Caret => (BinaryOperator.Power, 6, true),
        _ => (default, 0, false),
    };

    private Field ParseFieldPrefix()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.OpenParen:
            {
                Advance();
                Enter(token);
                var inner = ParseField(0);
                Expect(TokenKind.CloseParen, "\")\" or an operator");
                Leave();
                return inner with { Start = token.Start, End = Previous.End };
            }
            case TokenKind.Not:
            {
                Advance();
                Enter(token);
                var operand = ParseField(5);
                Leave();
                var type = RequireValue(operand, "!").Type;
                if (type is not (FieldType.Bool or FieldType.Unknown))
                    throw Error(operand.Start, "a condition (true or false) after !", FieldTypes.Describe(type));
                return Make(new UnaryExpression(UnaryOperator.Not, operand.Expression!), token.Start, operand);
            }
            case TokenKind.Minus:
            {
                Advance();
                Enter(token);
                var operand = ParseField(5);
                Leave();
                var expression = RequireValue(operand, "-");
                if (expression.Type is not (FieldType.Int or FieldType.Float or FieldType.Duration or FieldType.Unknown))
                    throw Error(operand.Start, "a number after -", FieldTypes.Describe(expression.Type));
                if (expression is StaticExpression { Value.Type: StaticType.Int } integer)
                    return new Field(new StaticExpression(StaticValue.Int(-integer.Value.AsInt())), token.Start, operand.End, 1);
                if (expression is StaticExpression { Value.Type: StaticType.Double } real)
                    return new Field(new StaticExpression(StaticValue.Double(-real.Value.AsDouble())), token.Start, operand.End, 1);
                if (expression is StaticExpression { Value.Type: StaticType.Duration })
                    throw Error(operand.Start, "a duration of zero or more", "a negative duration");
                return Make(new UnaryExpression(UnaryOperator.Negate, expression), token.Start, operand);
            }
            case TokenKind.Nil:
                Advance();
                return new Field(null, token.Start, token.End, 1);
            case TokenKind.Attribute:
                Advance();
                return new Field(new AttributeExpression(token.Scope, token.Text, token.Parent), token.Start, token.End, 1);
            case TokenKind.Intrinsic:
                Advance();
                return new Field(new IntrinsicExpression(token.Intrinsic), token.Start, token.End, 1);
            default:
                if (TryStatic(token, out var value))
                {
                    Advance();
                    return new Field(new StaticExpression(value), token.Start, token.End, 1);
                }
                if (token.Kind == TokenKind.Identifier)
                    throw Error(token, "a field (such as span.key, .key or duration) or a value", $"the unknown name \"{token.Text}\" (attributes need a scope or a leading dot: .{token.Text})");
                throw Error(token, "a field (such as span.key, .key or duration), a value, \"(\", \"!\" or \"-\"", Describe(token));
        }
    }

    /// <summary>A literal value token: strings, numbers, durations, booleans, statuses, kinds, and Tempo's <c>minInt</c>/<c>maxInt</c>.</summary>
    private static bool TryStatic(Token token, out StaticValue value)
    {
        StaticValue? literal = token.Kind switch
        {
            TokenKind.String => StaticValue.String(token.Text),
            TokenKind.Integer => StaticValue.Int(token.Integer),
            TokenKind.Float => StaticValue.Double(token.Float),
            TokenKind.Duration => StaticValue.Duration(token.DurationNanos),
            TokenKind.True => StaticValue.Bool(true),
            TokenKind.False => StaticValue.Bool(false),
            TokenKind.StatusOk => StaticValue.Status(StatusCode.Ok),
            TokenKind.StatusError => StaticValue.Status(StatusCode.Error),
            TokenKind.StatusUnset => StaticValue.Status(StatusCode.Unset),
            TokenKind.KindUnspecified => StaticValue.Kind(SpanKind.Unspecified),
            TokenKind.KindInternal => StaticValue.Kind(SpanKind.Internal),
            TokenKind.KindServer => StaticValue.Kind(SpanKind.Server),
            TokenKind.KindClient => StaticValue.Kind(SpanKind.Client),
            TokenKind.KindProducer => StaticValue.Kind(SpanKind.Producer),
            TokenKind.KindConsumer => StaticValue.Kind(SpanKind.Consumer),
            TokenKind.Identifier when token.Text == "minInt" => StaticValue.Int(long.MinValue),
            TokenKind.Identifier when token.Text == "maxInt" => StaticValue.Int(long.MaxValue),
            _ => null,
        };
        value = literal.GetValueOrDefault();
        return literal.HasValue;
    }

    private FieldExpression RequireValue(Field field, string context)
    {
        if (field.IsNil) throw Error(field.Start, $"a value after {context}", "nil (nil can only be compared with = or !=)");
        return field.Expression!;
    }

    private Field Make(FieldExpression expression, int start, Field operand) =>
        CheckDepth(new Field(expression, start, operand.End, operand.Depth + 1));

    private Field CombineFields(BinaryOperator op, Token token, Field left, Field right)
    {
        var start = left.Start;
        var depth = Math.Max(left.Depth, right.Depth) + 1;
        if (left.IsNil || right.IsNil)
        {
            if (op is not (BinaryOperator.Equal or BinaryOperator.NotEqual))
                throw Error(left.IsNil ? left.Start : right.Start, $"a value beside \"{OperatorText.Of(op)}\"", "nil (nil can only be compared with = or !=)");
            if (left.IsNil && right.IsNil)
                return new Field(new StaticExpression(StaticValue.Bool(false)), start, right.End, 1);
            var other = left.IsNil ? right : left;
            if (other.Expression is IntrinsicExpression intrinsic)
                throw Error(other.Start, "an attribute (intrinsics always have a value, so comparing them with nil is meaningless)", intrinsic.ToString());
            var unary = op == BinaryOperator.Equal ? UnaryOperator.NotExists : UnaryOperator.Exists;
            return CheckDepth(new Field(new UnaryExpression(unary, other.Expression!), start, right.End, depth));
        }

        var l = left.Expression!;
        var r = right.Expression!;
        var text = OperatorText.Of(op);
        if (!FieldTypes.Allows(op, l.Type))
            throw Error(left.Start, $"an operand that \"{text}\" applies to", FieldTypes.Describe(l.Type) + " " + Describe(left));
        if (!FieldTypes.Allows(op, r.Type))
            throw Error(right.Start, $"an operand that \"{text}\" applies to", FieldTypes.Describe(r.Type) + " " + Describe(right));
        if (!FieldTypes.Match(l.Type, r.Type))
            throw Error(right.Start, $"{FieldTypes.Describe(l.Type)} to match the left side of \"{text}\"", FieldTypes.Describe(r.Type) + " " + Describe(right));
        if (op is BinaryOperator.Regex or BinaryOperator.NotRegex) CheckPattern(right, text);
        return CheckDepth(new Field(new BinaryExpression(op, l, r), start, right.End, depth));
    }

    private void CheckPattern(Field pattern, string op)
    {
        if (pattern.Expression is not StaticExpression { Value.Type: StaticType.String } literal)
            throw Error(pattern.Start, $"a string literal (a regular expression) after \"{op}\"", Describe(pattern));
        try
        {
            _ = new Regex(literal.Value.AsString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw Error(pattern.Start, "a valid regular expression", Describe(pattern) + " (" + e.Message + ")");
        }
    }

    private string Describe(Field field) => SourcePosition.Describe(_text, field.Start, field.End);

    /// <summary>An attribute or intrinsic, as <c>select()</c>, metrics functions and their <c>by()</c> take.</summary>
    private FieldExpression ParseAttribute(string context)
    {
        var token = Current;
        if (token.Kind == TokenKind.Attribute)
        {
            Advance();
            return new AttributeExpression(token.Scope, token.Text, token.Parent);
        }
        if (token.Kind == TokenKind.Intrinsic)
        {
            Advance();
            return new IntrinsicExpression(token.Intrinsic);
        }
        throw Error(token, $"an attribute or intrinsic (such as span.key or duration) {context}", Describe(token));
    }
}
