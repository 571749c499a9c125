using Threadline.Core.Model;

namespace Threadline.Storage.Fetch;

/// <summary>
/// What every engine does with a candidate span in a fetch or a catalog read: test a request's
/// filters, turn a match into a <see cref="SpansetSpan"/>, and find the attributes of a scope.
/// One copy, so that the engines cannot drift apart in what they answer.
/// </summary>
public static class SpanMatching
{
    /// <summary>
    /// Whether the span passes the filtering conditions: every one (<paramref name="all"/>) or at
    /// least one; no filter passes every span.
    /// </summary>
    public static bool Passes(IReadOnlyList<Condition> filters, bool all, Span span)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0) return true;
        foreach (var condition in filters)
        {
            if (ConditionEvaluator.Matches(condition, span) != all) return !all;
        }
        return all;
    }

    /// <summary>The span's fields and the attributes the request's conditions name (absent ones left out).</summary>
    public static SpansetSpan ToSpansetSpan(Span span, IReadOnlyList<Condition> conditions)
    {
        ArgumentNullException.ThrowIfNull(span);
        ArgumentNullException.ThrowIfNull(conditions);
        List<FetchedAttribute>? fetched = null;
        foreach (var condition in conditions)
        {
            if (condition.Scope == ConditionScope.Intrinsic) continue;
            if (ConditionEvaluator.TryFetch(condition, span, out var value))
                (fetched ??= []).Add(new FetchedAttribute(condition.Scope, condition.Name, value));
        }
        return new SpansetSpan
        {
            SpanId = span.SpanId,
            ParentSpanId = span.ParentSpanId,
            Name = span.Name,
            ServiceName = span.ServiceName,
            Kind = span.Kind,
            Status = span.Status,
            StartTimeUnixNano = span.StartTimeUnixNano,
            DurationNanos = span.DurationNanos,
            Attributes = (IReadOnlyList<FetchedAttribute>?)fetched ?? [],
        };
    }

    /// <summary>Refuses the intrinsic scope for attribute catalogs, naming what to use instead.</summary>
    /// <exception cref="ArgumentException">The scope is <see cref="ConditionScope.Intrinsic"/>.</exception>
    public static void CheckCatalogScope(ConditionScope scope)
    {
        if (scope == ConditionScope.Intrinsic)
            throw new ArgumentException("Intrinsic fields are not attributes: list services and operations instead.", nameof(scope));
    }

    /// <summary>The attribute lists of the span in one scope (<see cref="ConditionScope.Any"/>: span, then resource).</summary>
    public static IEnumerable<KeyValue[]> AttributesIn(Span span, ConditionScope scope)
    {
        ArgumentNullException.ThrowIfNull(span);
        switch (scope)
        {
            case ConditionScope.Any:
                yield return span.Attributes;
                yield return span.Resource.Attributes;
                break;
            case ConditionScope.Span:
                yield return span.Attributes;
                break;
            case ConditionScope.Resource:
                yield return span.Resource.Attributes;
                break;
            case ConditionScope.Event:
                foreach (var e in span.Events) yield return e.Attributes;
                break;
            case ConditionScope.Link:
                foreach (var link in span.Links) yield return link.Attributes;
                break;
        }
    }
}
