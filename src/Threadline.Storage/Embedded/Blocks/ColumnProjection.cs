using Threadline.Storage.Fetch;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Groups of data.parquet columns a read can ask for, each decoded only when asked.</summary>
[Flags]
internal enum SpanColumns
{
    None = 0,
    Start = 1 << 0,
    Duration = 1 << 1,
    Name = 1 << 2,
    Kind = 1 << 3,
    /// <summary>status_code and status_message.</summary>
    Status = 1 << 4,
    /// <summary>service_name (a resource holding only service.name stands in for the resource).</summary>
    Service = 1 << 5,
    Resource = 1 << 6,
    /// <summary>span_id, parent_span_id and the nested-set numbers that name a parent in the trace.</summary>
    Identity = 1 << 7,
    /// <summary>The generic span attributes (the dedicated columns are asked for one by one).</summary>
    Attributes = 1 << 8,
    Events = 1 << 9,
    Links = 1 << 10,

    /// <summary>What a <see cref="SpansetSpan"/> and a trace's summary need of every span.</summary>
    SpansetFields = Start | Duration | Name | Kind | Status | Service | Identity,
}

/// <summary>
/// The columns a fetch's conditions read (Tempo's first pass): a span attribute with a dedicated
/// column reads that column, and the generic attributes only where a row group may hold the key
/// there too (<see cref="ValueKeys.InBlob"/>); a resource attribute reads the resource column.
/// </summary>
internal sealed class ColumnProjection
{
    private ColumnProjection(SpanColumns columns, bool[] dedicated, string[] dedicatedKeys)
    {
        Columns = columns;
        Dedicated = dedicated;
        DedicatedKeys = dedicatedKeys;
    }

    /// <summary>Always read, whatever the conditions (the generic attributes only when <see cref="NeedsBlob"/> says so).</summary>
    public SpanColumns Columns { get; }

    /// <summary>Per dedicated column, whether a condition reads it.</summary>
    public bool[] Dedicated { get; }

    /// <summary>The keys of the dedicated columns read for span attributes (their values may also be in the generic attributes).</summary>
    public string[] DedicatedKeys { get; }

    public static ColumnProjection For(IEnumerable<Condition> conditions)
    {
        var columns = SpanColumns.Start;
        var dedicated = new bool[DedicatedColumns.All.Count];
        var keys = new List<string>();
        foreach (var condition in conditions)
        {
            switch (condition.Scope)
            {
                case ConditionScope.Intrinsic:
                    columns |= condition.Name switch
                    {
                        Intrinsics.Name => SpanColumns.Name,
                        Intrinsics.Duration => SpanColumns.Duration,
                        Intrinsics.Kind => SpanColumns.Kind,
                        Intrinsics.Status or Intrinsics.StatusMessage => SpanColumns.Status,
                        _ => SpanColumns.Service,
                    };
                    break;
                case ConditionScope.Span:
                    columns |= SpanAttribute(condition.Name, dedicated, keys);
                    break;
                case ConditionScope.Any:
                    columns |= SpanAttribute(condition.Name, dedicated, keys) | SpanColumns.Resource;
                    break;
                case ConditionScope.Resource:
                    columns |= SpanColumns.Resource;
                    break;
                case ConditionScope.Event:
                    columns |= SpanColumns.Events;
                    break;
                case ConditionScope.Link:
                    columns |= SpanColumns.Links;
                    break;
            }
        }
        return new ColumnProjection(columns, dedicated, [.. keys.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Whether a row group's generic attributes must be read: a condition names a key without a
    /// dedicated column, or a row group may hold a dedicated key there (always in a version 1
    /// block, which does not say).
    /// </summary>
    public bool NeedsBlob(RowGroupEntry group, int formatVersion)
    {
        if (Columns.HasFlag(SpanColumns.Attributes)) return true;
        if (DedicatedKeys.Length == 0) return false;
        if (formatVersion < 2) return true;
        foreach (var key in DedicatedKeys)
        {
            if (group.Values.MightContain(ValueKeys.InBlob(key))) return true;
        }
        return false;
    }

    private static SpanColumns SpanAttribute(string key, bool[] dedicated, List<string> keys)
    {
        var column = DedicatedColumns.IndexOfKey(key);
        if (column < 0) return SpanColumns.Attributes;
        dedicated[column] = true;
        keys.Add(key);
        return SpanColumns.None;
    }
}
