using System.Runtime.InteropServices;
using Threadline.Core.Model;

namespace Threadline.Core.Analysis.Triage;

/// <summary>
/// The counts of one attribute key on both sides. Exact values up to
/// <see cref="TriageOptions.MaxValuesPerKey"/>; past it a key whose values are all numbers goes on
/// in <see cref="NumericBuckets"/> (the exact counts folded in), and any other key is dropped as
/// high-cardinality, its counts freed. Memory per key is therefore bounded.
/// </summary>
public sealed class TriageKeyCounter
{
    private readonly TriageOptions _options;
    private Dictionary<AttributeValue, SideCounts>? _values = [];
    private Dictionary<int, SideCounts>? _buckets;

    internal TriageKeyCounter(TriageKey key, TriageOptions options)
    {
        Key = key;
        _options = options;
    }

    public TriageKey Key { get; }

    /// <summary>True once the key had too many distinct non-numeric values to be worth counting.</summary>
    public bool Dropped => _values is null && _buckets is null;

    /// <summary>Spans on either side that carried a counted value of this key.</summary>
    public long Spans { get; private set; }

    private bool AllNumeric { get; set; } = true;

    /// <summary>Counts the value one span carries. Values triage cannot compare (arrays, bytes, maps, over-long strings) are skipped.</summary>
    public void Count(bool selected, AttributeValue value) => Count(selected, value, 1);

    /// <summary>Counts the value carried by <paramref name="spans"/> spans of one side.</summary>
    public void Count(bool selected, AttributeValue value, long spans)
    {
        if (Dropped || !IsCountable(value)) return;
        if (_buckets is not null)
        {
            if (!IsNumber(value)) return;
            Spans += spans;
            Add(ref CollectionsMarshal.GetValueRefOrAddDefault(_buckets, NumericBuckets.IndexOf(ToNumber(value)), out _), selected, spans);
            return;
        }

        Spans += spans;
        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_values!, value, out var existed);
        Add(ref counts, selected, spans);
        if (existed) return;
        AllNumeric &= IsNumber(value);
        if (_values!.Count > _options.MaxValuesPerKey)
        {
            if (AllNumeric) _buckets = ToBuckets(_values);
            _values = null;
        }
    }

    /// <summary>
    /// The counted values: exact, or bucketed when the key overflowed or turned out unique per
    /// span and is numeric; none when it is high-cardinality text (<paramref name="highCardinality"/> set).
    /// </summary>
    internal IEnumerable<(TriageValue Value, SideCounts Counts)> Values(out bool highCardinality)
    {
        highCardinality = false;
        if (_buckets is not null) return Ranges(_buckets);
        if (_values is null)
        {
            highCardinality = true;
            return [];
        }
        var uniquePerSpan = Spans >= _options.MinSpansForUniqueness && _values.Count * 2L > Spans;
        if (!uniquePerSpan) return _values.Select(static v => (TriageValue.Of(v.Key), v.Value));
        if (AllNumeric) return Ranges(ToBuckets(_values));
        highCardinality = true;
        return [];
    }

    private static IEnumerable<(TriageValue, SideCounts)> Ranges(Dictionary<int, SideCounts> buckets) =>
        buckets.Select(static b => (NumericBuckets.RangeOf(b.Key), b.Value));

    private static Dictionary<int, SideCounts> ToBuckets(Dictionary<AttributeValue, SideCounts> values)
    {
        var buckets = new Dictionary<int, SideCounts>();
        foreach (var (value, counts) in values)
        {
            ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(buckets, NumericBuckets.IndexOf(ToNumber(value)), out _);
            bucket = new SideCounts(bucket.Selection + counts.Selection, bucket.Baseline + counts.Baseline);
        }
        return buckets;
    }

    private static void Add(ref SideCounts counts, bool selected, long spans) =>
        counts = selected ? counts with { Selection = counts.Selection + spans } : counts with { Baseline = counts.Baseline + spans };

    private bool IsCountable(AttributeValue value) => value.Type switch
    {
        AttributeType.String => value.AsString().Length <= _options.MaxValueLength,
        AttributeType.Bool or AttributeType.Int => true,
        AttributeType.Double => !double.IsNaN(value.AsDouble()),
        _ => false,
    };

    private static bool IsNumber(AttributeValue value) => value.Type is AttributeType.Int or AttributeType.Double;

    private static double ToNumber(AttributeValue value) => value.Type == AttributeType.Int ? value.AsInt() : value.AsDouble();
}

/// <summary>How many spans of the selection and of the baseline carried a value.</summary>
internal readonly record struct SideCounts(long Selection, long Baseline);
