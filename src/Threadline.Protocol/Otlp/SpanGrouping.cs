using Threadline.Core.Model;

namespace Threadline.Protocol.Otlp;

/// <summary>Spans of one scope within a resource group, in input order.</summary>
internal sealed record ScopeGroup(InstrumentationScope Scope, List<Span> Spans);

/// <summary>Spans of one resource, split by scope, in order of first appearance.</summary>
internal sealed record ResourceGroup(Resource Resource, List<ScopeGroup> Scopes);

/// <summary>
/// Regroups a flat span list into OTLP's resource → scope → spans shape. Grouping is by object
/// reference: decoders share one Resource / InstrumentationScope per group, so equal references
/// mean "came together", and comparing attribute lists by value would cost more than it saves.
/// </summary>
internal static class SpanGrouping
{
    public static List<ResourceGroup> ByResourceAndScope(IReadOnlyList<Span> spans)
    {
        var groups = new List<ResourceGroup>();
        var byResource = new Dictionary<Resource, ResourceGroup>(ReferenceEqualityComparer.Instance);
        var byScope = new Dictionary<(Resource, InstrumentationScope), ScopeGroup>(ScopeKeyComparer.Instance);
        ScopeGroup? last = null;
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i] ?? throw new ArgumentException($"spans[{i}] is null.", nameof(spans));
            // Consecutive spans nearly always share resource and scope; skip the lookups then.
            if (last is not null && ReferenceEquals(last.Scope, span.Scope) && ReferenceEquals(last.Spans[0].Resource, span.Resource))
            {
                last.Spans.Add(span);
                continue;
            }
            if (!byResource.TryGetValue(span.Resource, out var resourceGroup))
            {
                resourceGroup = new ResourceGroup(span.Resource, []);
                byResource.Add(span.Resource, resourceGroup);
                groups.Add(resourceGroup);
            }
            if (!byScope.TryGetValue((span.Resource, span.Scope), out var scopeGroup))
            {
                scopeGroup = new ScopeGroup(span.Scope, []);
                byScope.Add((span.Resource, span.Scope), scopeGroup);
                resourceGroup.Scopes.Add(scopeGroup);
            }
            scopeGroup.Spans.Add(span);
            last = scopeGroup;
        }
        return groups;
    }

    private sealed class ScopeKeyComparer : IEqualityComparer<(Resource, InstrumentationScope)>
    {
        public static readonly ScopeKeyComparer Instance = new();

        public bool Equals((Resource, InstrumentationScope) x, (Resource, InstrumentationScope) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((Resource, InstrumentationScope) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
