using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Planning;

/// <summary>
/// Turns a spanset filter's condition into store conditions: typed values only, never text a
/// user typed spliced into anything. What cannot be pushed is left out, so the store returns a
/// superset that the evaluator then checks exactly: from a conjunction, every conjunct that is a
/// simple <c>field op literal</c>; from a disjunction, all disjuncts or (if one cannot be pushed)
/// none.
/// </summary>
internal static class ConditionPushdown
{
    /// <summary>The filtering conditions of <paramref name="condition"/> and whether all (true) or any (false) must hold.</summary>
    public static (List<Condition> Conditions, bool All) Of(FieldExpression condition)
    {
        if (condition is BinaryExpression { Operator: BinaryOperator.Or })
        {
            var disjuncts = new List<Condition>();
            foreach (var disjunct in Flatten(condition, BinaryOperator.Or))
            {
                if (!TryPush(disjunct, out var pushed)) return ([], true);
                disjuncts.Add(pushed);
            }
            return (disjuncts, false);
        }
        var conjuncts = new List<Condition>();
        foreach (var conjunct in Flatten(condition, BinaryOperator.And))
        {
            if (TryPush(conjunct, out var pushed)) conjuncts.Add(pushed);
        }
        return (conjuncts, true);
    }

    /// <summary>The fetch-only condition that brings an attribute back with each span; null for fields a fetch cannot carry.</summary>
    public static Condition? FetchOnly(FieldExpression field) =>
        field is AttributeExpression { Parent: false } attribute && FetchableFields.TryScope(attribute.Scope, out var scope)
            ? Condition.Select(scope, attribute.Name)
            : null;

    private static IEnumerable<FieldExpression> Flatten(FieldExpression expression, BinaryOperator op)
    {
        var pending = new Stack<FieldExpression>();
        pending.Push(expression);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is BinaryExpression binary && binary.Operator == op)
            {
                pending.Push(binary.Right);
                pending.Push(binary.Left);
            }
            else
            {
                yield return current;
            }
        }
    }

    private static bool TryPush(FieldExpression expression, out Condition condition)
    {
        condition = null!;
        switch (expression)
        {
            case UnaryExpression { Operator: UnaryOperator.Exists, Operand: AttributeExpression attribute }
                when TryScope(attribute, out var existsScope):
                return TryCreate(existsScope, attribute.Name, ConditionOperator.Exists, null, out condition);
            case BinaryExpression { Left: var field, Right: StaticExpression literal } binary:
                return TryPush(field, binary.Operator, literal.Value, out condition);
            case BinaryExpression { Left: StaticExpression literal, Right: var field } binary:
                return TryPush(field, Flip(binary.Operator), literal.Value, out condition);
            default:
                return false;
        }
    }

    private static bool TryPush(FieldExpression field, BinaryOperator op, StaticValue value, out Condition condition)
    {
        condition = null!;
        var conditionOperator = op switch
        {
            BinaryOperator.Equal => ConditionOperator.Equal,
            BinaryOperator.NotEqual => ConditionOperator.NotEqual,
            BinaryOperator.Less => ConditionOperator.Less,
            BinaryOperator.LessOrEqual => ConditionOperator.LessOrEqual,
            BinaryOperator.Greater => ConditionOperator.Greater,
            BinaryOperator.GreaterOrEqual => ConditionOperator.GreaterOrEqual,
            // TraceQL matches the whole value; a store's unanchored match keeps a superset of that.
            // The negation would keep a subset, so !~ is evaluated here only.
            BinaryOperator.Regex => ConditionOperator.Regex,
            _ => ConditionOperator.None,
        };
        if (conditionOperator == ConditionOperator.None) return false;

        switch (field)
        {
            case AttributeExpression attribute when TryScope(attribute, out var scope):
                // Attributes hold strings, numbers and booleans; a duration, status or kind literal never equals one.
                if (value.Type is not (StaticType.String or StaticType.Int or StaticType.Double or StaticType.Bool)) return false;
                return TryCreate(scope, attribute.Name, conditionOperator, value, out condition);
            case IntrinsicExpression intrinsic:
                var name = intrinsic.Intrinsic switch
                {
                    Intrinsic.Name when value.Type == StaticType.String => Intrinsics.Name,
                    Intrinsic.StatusMessage when value.Type == StaticType.String => Intrinsics.StatusMessage,
                    Intrinsic.Duration when value.Type == StaticType.Duration => Intrinsics.Duration,
                    Intrinsic.Kind when value.Type == StaticType.Kind => Intrinsics.Kind,
                    Intrinsic.Status when value.Type == StaticType.Status => Intrinsics.Status,
                    _ => null,
                };
                return name is not null && TryCreate(ConditionScope.Intrinsic, name, conditionOperator, value, out condition);
            default:
                return false;
        }
    }

    private static bool TryScope(AttributeExpression attribute, out ConditionScope scope)
    {
        scope = attribute.Scope switch
        {
            AttributeScope.None => ConditionScope.Any,
            AttributeScope.Span => ConditionScope.Span,
            AttributeScope.Resource => ConditionScope.Resource,
            AttributeScope.Event => ConditionScope.Event,
            AttributeScope.Link => ConditionScope.Link,
            _ => ConditionScope.Intrinsic,
        };
        return !attribute.Parent && scope != ConditionScope.Intrinsic;
    }

    private static bool TryCreate(ConditionScope scope, string name, ConditionOperator op, StaticValue? value, out Condition condition)
    {
        try
        {
            condition = new Condition(scope, name, op, value);
            return true;
        }
        catch (ArgumentException)
        {
            // A combination the store contract refuses is simply not pushed; the evaluator still checks it.
            condition = null!;
            return false;
        }
    }

    private static BinaryOperator Flip(BinaryOperator op) => op switch
    {
        BinaryOperator.Less => BinaryOperator.Greater,
        BinaryOperator.LessOrEqual => BinaryOperator.GreaterOrEqual,
        BinaryOperator.Greater => BinaryOperator.Less,
        BinaryOperator.GreaterOrEqual => BinaryOperator.LessOrEqual,
        // =~ and !~ take the pattern on the right only; a literal on the left is not a pattern.
        BinaryOperator.Regex or BinaryOperator.NotRegex => BinaryOperator.And,
        _ => op,
    };
}
