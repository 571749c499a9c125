using Threadline.Core.Model;

namespace Threadline.Storage.Fetch;

/// <summary>
/// Evaluates <see cref="Condition"/>s on a span exactly. Shared so that every engine that scans
/// spans (and the query layer, when it re-checks an engine's superset) applies the same rules:
/// integers and doubles compare numerically with each other, strings ordinally with strings
/// only, bools, kinds and statuses by equality; a missing attribute or a value of another type
/// satisfies no operator, not even <see cref="ConditionOperator.NotEqual"/>; an array matches
/// when any element does (and always passes the negated operators, which the query layer decides).
/// </summary>
public static class ConditionEvaluator
{
    /// <summary>Whether <paramref name="span"/> satisfies <paramref name="condition"/>; always true for a fetch-only condition.</summary>
    public static bool Matches(Condition condition, Span span)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(span);
        if (!condition.Filters) return true;
        switch (condition.Scope)
        {
            case ConditionScope.Intrinsic:
                return Compare(condition, Intrinsic(condition.Name, span));
            case ConditionScope.Any:
                return span.TryGetAttribute(condition.Name, out var value) && Compare(condition, value);
            case ConditionScope.Span:
                return MatchesAny(condition, span.Attributes);
            case ConditionScope.Resource:
                return MatchesAny(condition, span.Resource.Attributes);
            case ConditionScope.Event:
                foreach (var e in span.Events)
                {
                    if (MatchesAny(condition, e.Attributes)) return true;
                }
                return false;
            case ConditionScope.Link:
                foreach (var link in span.Links)
                {
                    if (MatchesAny(condition, link.Attributes)) return true;
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The value a non-intrinsic condition's attribute has on <paramref name="span"/> (the first
    /// one found, for events and links), for the spanset's columns.
    /// </summary>
    public static bool TryFetch(Condition condition, Span span, out AttributeValue value)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(span);
        value = default;
        switch (condition.Scope)
        {
            case ConditionScope.Any:
                return span.TryGetAttribute(condition.Name, out value);
            case ConditionScope.Span:
                return TryFind(span.Attributes, condition.Name, out value);
            case ConditionScope.Resource:
                return TryFind(span.Resource.Attributes, condition.Name, out value);
            case ConditionScope.Event:
                foreach (var e in span.Events)
                {
                    if (TryFind(e.Attributes, condition.Name, out value)) return true;
                }
                return false;
            case ConditionScope.Link:
                foreach (var link in span.Links)
                {
                    if (TryFind(link.Attributes, condition.Name, out value)) return true;
                }
                return false;
            default:
                return false;
        }
    }

    private static bool MatchesAny(Condition condition, KeyValue[] attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == condition.Name && Compare(condition, attribute.Value)) return true;
        }
        return false;
    }

    private static bool TryFind(KeyValue[] attributes, string key, out AttributeValue value)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
            {
                value = attribute.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static StaticValue Intrinsic(string name, Span span) => name switch
    {
        Intrinsics.Name => StaticValue.String(span.Name),
        Intrinsics.Duration => StaticValue.Duration(span.DurationNanos),
        Intrinsics.Kind => StaticValue.Kind(span.Kind),
        Intrinsics.Status => StaticValue.Status(span.Status.Code),
        Intrinsics.StatusMessage => StaticValue.String(span.Status.Message),
        _ => StaticValue.String(span.ServiceName),
    };

    private static bool Compare(Condition condition, AttributeValue value)
    {
        if (condition.Operator == ConditionOperator.Exists) return true;
        StaticValue left;
        switch (value.Type)
        {
            case AttributeType.String: left = StaticValue.String(value.AsString()); break;
            case AttributeType.Int: left = StaticValue.Int(value.AsInt()); break;
            case AttributeType.Double: left = StaticValue.Double(value.AsDouble()); break;
            case AttributeType.Bool: left = StaticValue.Bool(value.AsBool()); break;
            case AttributeType.Array: return CompareArray(condition, value.AsArray());
            default: return false;
        }
        return Compare(condition, left);
    }

    // TraceQL matches arrays element-wise: = =~ < > … when any element does; != and !~ when no
    // element equals (matches). The negated forms are left to the query layer: every array passes.
    private static bool CompareArray(Condition condition, AttributeValue[] elements)
    {
        if (condition.Operator is ConditionOperator.NotEqual or ConditionOperator.NotRegex) return true;
        foreach (var element in elements)
        {
            if (element.Type != AttributeType.Array && Compare(condition, element)) return true;
        }
        return false;
    }

    private static bool Compare(Condition condition, StaticValue left)
    {
        var right = condition.Operand!.Value;
        switch (condition.Operator)
        {
            case ConditionOperator.Regex:
                return left.Type == StaticType.String && condition.Pattern!.IsMatch(left.AsString());
            case ConditionOperator.NotRegex:
                return left.Type == StaticType.String && !condition.Pattern!.IsMatch(left.AsString());
        }

        int order;
        if (left.IsNumber && right.IsNumber)
        {
            // Two integers compare exactly; doubles only when one side is a double.
            order = left.Type == StaticType.Int && right.Type == StaticType.Int
                ? left.AsInt().CompareTo(right.AsInt())
                : left.ToNumber().CompareTo(right.ToNumber());
            if (double.IsNaN(left.ToNumber()) || double.IsNaN(right.ToNumber())) return false;
        }
        else if (left.Type != right.Type)
        {
            return false;
        }
        else
        {
            order = left.Type switch
            {
                StaticType.String => string.CompareOrdinal(left.AsString(), right.AsString()),
                StaticType.Duration => left.AsDuration().CompareTo(right.AsDuration()),
                _ => left.Equals(right) ? 0 : 1,
            };
        }

        return condition.Operator switch
        {
            ConditionOperator.Equal => order == 0,
            ConditionOperator.NotEqual => order != 0,
            ConditionOperator.Less => order < 0,
            ConditionOperator.LessOrEqual => order <= 0,
            ConditionOperator.Greater => order > 0,
            ConditionOperator.GreaterOrEqual => order >= 0,
            _ => false,
        };
    }
}
