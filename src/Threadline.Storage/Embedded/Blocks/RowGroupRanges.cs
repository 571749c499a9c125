using System.Buffers.Binary;
using System.Text;
using Threadline.Core.Model;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// The smallest and largest value per row group of the fields range conditions test: span
/// duration, status code, kind, and the numeric attributes of <see cref="RangedKeys"/> (span and
/// resource attributes, array elements included). A fetch skips a row group whose ranges rule
/// out a condition without reading any of its bytes: <c>status_code &gt;= 500</c> skips a group
/// whose largest status code is 404. Written to index.bin from block format version 2.
/// </summary>
internal sealed class RowGroupRanges
{
    /// <summary>The attributes with a range: the integer dedicated columns (range queries on them are common).</summary>
    public static readonly IReadOnlyList<string> RangedKeys =
        [.. DedicatedColumns.All.Where(c => c.Type == AttributeType.Int).Select(c => c.Key)];

    private RowGroupRanges(ulong minDuration, ulong maxDuration, byte minStatus, byte maxStatus, byte minKind, byte maxKind, Dictionary<string, (double Min, double Max)> keys)
    {
        MinDuration = minDuration;
        MaxDuration = maxDuration;
        MinStatus = minStatus;
        MaxStatus = maxStatus;
        MinKind = minKind;
        MaxKind = maxKind;
        Keys = keys;
    }

    public ulong MinDuration { get; }
    public ulong MaxDuration { get; }
    public byte MinStatus { get; }
    public byte MaxStatus { get; }
    public byte MinKind { get; }
    public byte MaxKind { get; }

    /// <summary>Per ranged key, the smallest and largest numeric value (as doubles); Min &gt; Max when no span has one.</summary>
    public IReadOnlyDictionary<string, (double Min, double Max)> Keys { get; }

    /// <summary>The ranges of a row group's spans (at least one).</summary>
    public static RowGroupRanges Of(IReadOnlyList<Span> spans)
    {
        ulong minDuration = ulong.MaxValue, maxDuration = 0;
        byte minStatus = byte.MaxValue, maxStatus = 0, minKind = byte.MaxValue, maxKind = 0;
        var keys = RangedKeys.ToDictionary(k => k, _ => (Min: double.PositiveInfinity, Max: double.NegativeInfinity), StringComparer.Ordinal);
        foreach (var span in spans)
        {
            // As ConditionEvaluator sees it: StaticValue.Duration caps at long.MaxValue.
            var duration = Math.Min(span.DurationNanos, long.MaxValue);
            minDuration = Math.Min(minDuration, duration);
            maxDuration = Math.Max(maxDuration, duration);
            var status = (byte)span.Status.Code;
            minStatus = Math.Min(minStatus, status);
            maxStatus = Math.Max(maxStatus, status);
            var kind = (byte)span.Kind;
            minKind = Math.Min(minKind, kind);
            maxKind = Math.Max(maxKind, kind);
            AddNumbers(keys, span.Attributes);
            AddNumbers(keys, span.Resource.Attributes);
        }
        return new RowGroupRanges(minDuration, maxDuration, minStatus, maxStatus, minKind, maxKind, keys);
    }

    /// <summary>
    /// True when no span of the row group can satisfy the condition. Conservative: a range
    /// compares numbers as doubles (a monotonic conversion, so an integer outside the range as
    /// a double is outside it exactly), and only operators whose matches lie inside a range
    /// decide anything.
    /// </summary>
    public bool RulesOut(Condition condition)
    {
        if (condition.Operand is not { } operand) return false;
        var op = condition.Operator;
        if (condition.Scope == ConditionScope.Intrinsic)
        {
            return condition.Name switch
            {
                Intrinsics.Duration => Outside(op, operand.AsDuration(), MinDuration, MaxDuration),
                Intrinsics.Status => op == ConditionOperator.Equal && Outside(op, (ulong)operand.AsStatus(), MinStatus, MaxStatus),
                Intrinsics.Kind => op == ConditionOperator.Equal && Outside(op, (ulong)operand.AsKind(), MinKind, MaxKind),
                _ => false,
            };
        }
        if (condition.Scope is not (ConditionScope.Span or ConditionScope.Resource or ConditionScope.Any)) return false;
        if (!operand.IsNumber || double.IsNaN(operand.ToNumber())) return false;
        if (!Keys.TryGetValue(condition.Name, out var range)) return false;
        var x = operand.ToNumber();
        // A non-number never satisfies a numeric operand; no number at all rules out every ordered test.
        if (range.Min > range.Max) return op is ConditionOperator.Equal or ConditionOperator.Less or ConditionOperator.LessOrEqual or ConditionOperator.Greater or ConditionOperator.GreaterOrEqual;
        // A bound equal to x as a double rules out the strict tests only when x is exact: a
        // 64-bit integer beyond 2^53 may differ from x yet convert to it.
        var exact = Math.Abs(x) < 9007199254740992d;
        return op switch
        {
            ConditionOperator.Equal => x < range.Min || x > range.Max,
            ConditionOperator.Greater => range.Max < x || (exact && range.Max == x),
            ConditionOperator.GreaterOrEqual => range.Max < x,
            ConditionOperator.Less => range.Min > x || (exact && range.Min == x),
            ConditionOperator.LessOrEqual => range.Min > x,
            _ => false,
        };
    }

    private static bool Outside(ConditionOperator op, ulong x, ulong min, ulong max) => op switch
    {
        ConditionOperator.Equal => x < min || x > max,
        ConditionOperator.Greater => max <= x,
        ConditionOperator.GreaterOrEqual => max < x,
        ConditionOperator.Less => min >= x,
        ConditionOperator.LessOrEqual => min > x,
        _ => false,
    };

    private static void AddNumbers(Dictionary<string, (double Min, double Max)> keys, KeyValue[] attributes)
    {
        foreach (var attribute in attributes)
        {
            if (!keys.TryGetValue(attribute.Key, out var range)) continue;
            if (attribute.Value.Type == AttributeType.Array)
            {
                foreach (var element in attribute.Value.AsArray()) range = Widen(range, element);
            }
            else
            {
                range = Widen(range, attribute.Value);
            }
            keys[attribute.Key] = range;
        }
    }

    private static (double Min, double Max) Widen((double Min, double Max) range, AttributeValue value)
    {
        double number;
        if (value.Type == AttributeType.Int) number = value.AsInt();
        else if (value.Type == AttributeType.Double) number = value.AsDouble();
        else return range;
        if (double.IsNaN(number)) return range;
        return (Math.Min(range.Min, number), Math.Max(range.Max, number));
    }

    public int ByteLength => 8 + 8 + 4 + 4 + Keys.Sum(k => 4 + Encoding.UTF8.GetByteCount(k.Key) + 16);

    public int WriteTo(Span<byte> w)
    {
        var at = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(w[at..], MinDuration); at += 8;
        BinaryPrimitives.WriteUInt64LittleEndian(w[at..], MaxDuration); at += 8;
        w[at++] = MinStatus;
        w[at++] = MaxStatus;
        w[at++] = MinKind;
        w[at++] = MaxKind;
        BinaryPrimitives.WriteInt32LittleEndian(w[at..], Keys.Count); at += 4;
        foreach (var (key, (min, max)) in Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var length = Encoding.UTF8.GetBytes(key, w[(at + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(w[at..], length); at += 4 + length;
            BinaryPrimitives.WriteDoubleLittleEndian(w[at..], min); at += 8;
            BinaryPrimitives.WriteDoubleLittleEndian(w[at..], max); at += 8;
        }
        return at;
    }

    /// <exception cref="InvalidDataException">The bytes do not hold ranges.</exception>
    public static RowGroupRanges ReadFrom(ReadOnlySpan<byte> r, ref int at)
    {
        var minDuration = BinaryPrimitives.ReadUInt64LittleEndian(r[at..]); at += 8;
        var maxDuration = BinaryPrimitives.ReadUInt64LittleEndian(r[at..]); at += 8;
        var minStatus = r[at++];
        var maxStatus = r[at++];
        var minKind = r[at++];
        var maxKind = r[at++];
        var count = BinaryPrimitives.ReadInt32LittleEndian(r[at..]); at += 4;
        if (count < 0 || count > 1024) throw new InvalidDataException($"{count} ranged keys in a row group.");
        var keys = new Dictionary<string, (double, double)>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(r[at..]); at += 4;
            if (length < 0 || length > r.Length - at) throw new InvalidDataException($"A ranged key of {length} bytes does not fit the index.");
            var key = Encoding.UTF8.GetString(r.Slice(at, length)); at += length;
            var min = BinaryPrimitives.ReadDoubleLittleEndian(r[at..]); at += 8;
            var max = BinaryPrimitives.ReadDoubleLittleEndian(r[at..]); at += 8;
            keys[key] = (min, max);
        }
        return new RowGroupRanges(minDuration, maxDuration, minStatus, maxStatus, minKind, maxKind, keys);
    }
}
