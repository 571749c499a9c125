using Threadline.Core.Model;

namespace Threadline.Core.Analysis.Triage;

/// <summary>
/// Triage (after Honeycomb's BubbleUp and Dash0's triage) as a streaming count: every span of the
/// selection and of the baseline is counted once, with the values of its attributes, and
/// <see cref="Rank"/> then lists the attribute values over-represented in the selection, ranked by
/// the difference of the two fractions of spans carrying them. Spans are never held, only counts,
/// within the bounds of <see cref="TriageOptions"/>. Not thread-safe: one counter per triage.
/// </summary>
public sealed class TriageCounter
{
    private readonly TriageOptions _options;
    // Spans of one service share their key strings (literals, or a decoder's string cache), so a
    // lookup by reference saves hashing the key text for nearly every attribute of a whole span.
    private const int MaxCachedKeyStrings = 4096;

    private readonly Dictionary<TriageKey, TriageKeyCounter> _keys = [];
    private readonly Dictionary<string, TriageKeyCounter?> _spanKeysByReference = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, TriageKeyCounter?> _resourceKeysByReference = new(ReferenceEqualityComparer.Instance);
    // Spans of one process share one Resource object: its attributes are counted once per
    // resource and side, multiplied by its spans, instead of once per span (about half the work).
    private const int MaxPendingResources = 4096;
    private readonly Dictionary<Resource, (long Selection, long Baseline)> _pendingResources = new(ReferenceEqualityComparer.Instance);
    private TriageKeyCounter? _nameCounter;
    private long _selectionSpans;
    private long _baselineSpans;
    private long _omittedValues;

    public TriageCounter(TriageOptions? options = null) => _options = options ?? TriageOptions.Default;

    /// <summary>Counts one span of a population; count its values through <see cref="Key"/> (or use <see cref="CountSpan(Span, bool)"/>).</summary>
    public void CountSpan(bool selected)
    {
        if (selected) _selectionSpans++;
        else _baselineSpans++;
    }

    /// <summary>
    /// The counter of one key, for a caller that counts the same keys span after span (look it up
    /// once, count many times); null when <see cref="TriageOptions.MaxKeys"/> keys are counted already.
    /// </summary>
    public TriageKeyCounter? Key(TriageScope scope, string key)
    {
        var id = new TriageKey(scope, key);
        if (_keys.TryGetValue(id, out var counter)) return counter;
        if (_keys.Count >= _options.MaxKeys)
        {
            _omittedValues++;
            return null;
        }
        counter = new TriageKeyCounter(id, _options);
        _keys.Add(id, counter);
        return counter;
    }

    /// <summary>Counts a whole span: its name, its service, its attributes and its resource's.</summary>
    public void CountSpan(Span span, bool selected)
    {
        ArgumentNullException.ThrowIfNull(span);
        CountSpan(selected);
        (_nameCounter ??= Key(TriageScope.Intrinsic, TriageIntrinsics.Name))?.Count(selected, span.Name);
        foreach (var attribute in span.Attributes) CachedKey(_spanKeysByReference, TriageScope.Span, attribute.Key)?.Count(selected, attribute.Value);

        if (!_pendingResources.ContainsKey(span.Resource) && _pendingResources.Count >= MaxPendingResources) FlushResources();
        ref var pending = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_pendingResources, span.Resource, out _);
        pending = selected ? (pending.Selection + 1, pending.Baseline) : (pending.Selection, pending.Baseline + 1);
    }

    private void FlushResources()
    {
        foreach (var (resource, spans) in _pendingResources)
        {
            if (spans.Selection > 0) CountResource(resource, true, spans.Selection);
            if (spans.Baseline > 0) CountResource(resource, false, spans.Baseline);
        }
        _pendingResources.Clear();
    }

    private void CountResource(Resource resource, bool selected, long spans)
    {
        var serviceCounted = false;
        foreach (var attribute in resource.Attributes)
        {
            CachedKey(_resourceKeysByReference, TriageScope.Resource, attribute.Key, spans)?.Count(selected, attribute.Value, spans);
            serviceCounted |= attribute.Key == TriageIntrinsics.ServiceName;
        }
        // A resource without service.name still has the default name every query sees.
        if (!serviceCounted) Key(TriageScope.Resource, TriageIntrinsics.ServiceName)?.Count(selected, resource.ServiceName, spans);
    }

    private TriageKeyCounter? CachedKey(Dictionary<string, TriageKeyCounter?> cache, TriageScope scope, string key, long spans = 1)
    {
        if (cache.TryGetValue(key, out var counter))
        {
            if (counter is null) _omittedValues += spans;
            return counter;
        }
        counter = Key(scope, key);
        if (cache.Count < MaxCachedKeyStrings) cache.Add(key, counter);
        return counter;
    }

    /// <summary>
    /// The values carried by a larger fraction of the selection than of the baseline, highest
    /// score first (then more selected spans, then scope, key and value), at most <paramref name="limit"/>.
    /// </summary>
    public TriageResult Rank(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        FlushResources();
        var ranked = new List<TriageAttribute>();
        var highCardinality = new List<TriageKey>();
        foreach (var counter in _keys.Values)
        {
            var values = counter.Values(out var dropped);
            if (dropped) highCardinality.Add(counter.Key);
            foreach (var (value, counts) in values)
            {
                var selection = Fraction(counts.Selection, _selectionSpans);
                var baseline = Fraction(counts.Baseline, _baselineSpans);
                var score = selection - baseline;
                if (score <= 0) continue;
                ranked.Add(new TriageAttribute(counter.Key.Scope, counter.Key.Key, value,
                    counts.Selection, 100 * selection, counts.Baseline, 100 * baseline, score));
            }
        }
        ranked.Sort(Compare);
        highCardinality.Sort(static (a, b) => a.Scope != b.Scope ? a.Scope.CompareTo(b.Scope) : string.CompareOrdinal(a.Key, b.Key));
        return new TriageResult(_selectionSpans, _baselineSpans, ranked.Take(limit).ToList(), highCardinality, _omittedValues);
    }

    private static double Fraction(long count, long total) => total == 0 ? 0 : (double)count / total;

    private static int Compare(TriageAttribute a, TriageAttribute b)
    {
        var order = b.Score.CompareTo(a.Score);
        if (order == 0) order = b.SelectionCount.CompareTo(a.SelectionCount);
        if (order == 0) order = a.Scope.CompareTo(b.Scope);
        if (order == 0) order = string.CompareOrdinal(a.Key, b.Key);
        if (order == 0) order = string.CompareOrdinal(a.Value.ToString(), b.Value.ToString());
        return order;
    }
}
