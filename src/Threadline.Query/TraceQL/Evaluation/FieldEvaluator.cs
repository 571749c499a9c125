using System.Text.RegularExpressions;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// Evaluates field expressions on one span. Holds the query's regular expressions, compiled once:
/// anchored at both ends (Tempo matches the whole value, as Prometheus does), linear-time, and
/// stopped after <see cref="TraceQLOptions.RegexTimeout"/>.
/// </summary>
internal sealed class FieldEvaluator
{
    private readonly Dictionary<BinaryExpression, Regex> _patterns = new(ReferenceEqualityComparer.Instance);
    private readonly TimeSpan _regexTimeout;

    public FieldEvaluator(TimeSpan regexTimeout) => _regexTimeout = regexTimeout;

    public FieldValue Evaluate(FieldExpression expression, ISpanView view, int span)
    {
        switch (expression)
        {
            case StaticExpression s:
                return FieldValue.Of(s.Value);
            case AttributeExpression a:
                return view.Attribute(span, a);
            case IntrinsicExpression i:
                return view.Intrinsic(span, i.Intrinsic);
            case UnaryExpression u:
                return Unary(u, view, span);
            case BinaryExpression b:
                return Binary(b, view, span);
            default:
                throw new InvalidOperationException($"Unknown field expression {expression.GetType().Name}.");
        }
    }

    public bool IsTrue(FieldExpression expression, ISpanView view, int span) => Evaluate(expression, view, span).IsTrue;

    private FieldValue Unary(UnaryExpression unary, ISpanView view, int span)
    {
        var operand = Evaluate(unary.Operand, view, span);
        switch (unary.Operator)
        {
            case UnaryOperator.Exists:
                return Bool(operand.IsPresent);
            case UnaryOperator.NotExists:
                return Bool(!operand.IsPresent);
            case UnaryOperator.Not:
                return operand.IsSingle && operand.Value.Type == StaticType.Bool ? Bool(!operand.Value.AsBool()) : FieldValue.Nil;
            default:
                if (!operand.IsSingle) return FieldValue.Nil;
                return operand.Value.Type switch
                {
                    StaticType.Int => FieldValue.Of(StaticValue.Int(unchecked(-operand.Value.AsInt()))),
                    StaticType.Double => FieldValue.Of(StaticValue.Double(-operand.Value.AsDouble())),
                    StaticType.Duration => FieldValue.Of(StaticValue.Double(-(double)operand.Value.AsDuration())),
                    _ => FieldValue.Nil,
                };
        }
    }

    private FieldValue Binary(BinaryExpression binary, ISpanView view, int span)
    {
        switch (binary.Operator)
        {
            case BinaryOperator.And:
                return Bool(IsTrue(binary.Left, view, span) && IsTrue(binary.Right, view, span));
            case BinaryOperator.Or:
                return Bool(IsTrue(binary.Left, view, span) || IsTrue(binary.Right, view, span));
            case BinaryOperator.Regex or BinaryOperator.NotRegex:
                return Bool(Match(binary, Evaluate(binary.Left, view, span)));
            case BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Less or BinaryOperator.LessOrEqual
                or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual:
                return Bool(ValueComparer.Compare(binary.Operator, Evaluate(binary.Left, view, span), Evaluate(binary.Right, view, span)));
            default:
                return ValueComparer.Arithmetic(ValueComparer.ToArithmetic(binary.Operator), Evaluate(binary.Left, view, span), Evaluate(binary.Right, view, span));
        }
    }

    private bool Match(BinaryExpression binary, FieldValue value)
    {
        if (!_patterns.TryGetValue(binary, out var pattern))
        {
            // The parser accepts only a string literal after =~ and !~, and has compiled it once already.
            var text = ((StaticExpression)binary.Right).Value.AsString();
            pattern = new Regex("^(?:" + text + ")$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, _regexTimeout);
            _patterns[binary] = pattern;
        }
        try
        {
            return ValueComparer.Matches(binary.Operator, value, pattern);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new TraceQLQueryException(
                $"The regular expression {binary.Right} ran longer than {_regexTimeout.TotalMilliseconds} ms on one value (TraceQLOptions.RegexTimeout); simplify it.");
        }
    }

    private static FieldValue Bool(bool value) => FieldValue.Of(value ? True : False);

    private static readonly StaticValue True = StaticValue.Bool(true);
    private static readonly StaticValue False = StaticValue.Bool(false);
}
