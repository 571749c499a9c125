using Threadline.Core.Model;
using Threadline.Storage.Embedded.Format;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// An opened, immutable block: data.parquet, index.bin and meta.json in one directory. Safe for
/// concurrent reads. Every read checks the checksum of the bytes it decodes and throws
/// <see cref="StorageCorruptionException"/> rather than return wrong data; a damaged row group
/// leaves the others readable.
/// </summary>
public sealed class Block : IDisposable
{
    private readonly BlockIndex _index;
    private readonly BlockData _data;

    // The first trace entry of each row group, and one past the last.
    private readonly int[] _groupTraceStart;

    private Block(string directory, BlockMeta meta, BlockIndex index, BlockData data)
    {
        Directory = directory;
        Meta = meta;
        _index = index;
        _data = data;
        _groupTraceStart = new int[index.RowGroups.Length + 1];
        var t = 0;
        for (var g = 0; g < index.RowGroups.Length; g++)
        {
            _groupTraceStart[g] = t;
            while (t < index.Traces.Length && index.Traces[t].RowGroup == g) t++;
        }
        _groupTraceStart[^1] = t;
    }

    public BlockMeta Meta { get; }
    public string Directory { get; }

    /// <summary>Row groups decoded since the block was opened (for tests and metrics: pruning skips them).</summary>
    public long RowGroupsDecoded => _data.RowGroupsDecoded;

    /// <summary>Column chunks decoded by fetches since the block was opened (for tests: projection reads only some).</summary>
    public long ColumnsDecoded => _data.ColumnsDecoded;

    /// <summary>
    /// Opens a block: checks the format version of each file and the checksums of meta.json,
    /// index.bin and data.parquet's footer. Row groups are checked when read.
    /// </summary>
    /// <exception cref="UnsupportedFormatVersionException">A file has a format version this build does not read.</exception>
    /// <exception cref="StorageCorruptionException">A file is damaged, missing a part, or disagrees with another.</exception>
    public static Block Open(string blockDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(blockDirectory);
        var metaPath = Path.Combine(blockDirectory, BlockDirectory.MetaFileName);
        var indexPath = Path.Combine(blockDirectory, BlockDirectory.IndexFileName);
        var dataPath = Path.Combine(blockDirectory, BlockDirectory.DataFileName);
        var (meta, indexCrc) = BlockMetaFile.Parse(metaPath, ReadAll(metaPath));
        var indexBytes = ReadAll(indexPath);
        var index = BlockIndex.Parse(indexPath, indexBytes);
        if (index.Checksum != indexCrc)
            throw new StorageCorruptionException(indexPath, indexBytes.Length - 8, $"checksum {index.Checksum:x8} differs from meta.json's {indexCrc:x8} (the index of another block?)");
        if (index.Traces.Length != meta.TraceCount || index.RowGroups.Sum(g => (long)g.RowCount) != meta.SpanCount)
            throw new StorageCorruptionException(indexPath, 0, $"{index.Traces.Length} traces in the index, meta.json says {meta.TraceCount}");
        if (meta.FormatVersion != index.FormatVersion)
            throw new StorageCorruptionException(metaPath, 0, $"format version {meta.FormatVersion}, the index says {index.FormatVersion}");
        var data = BlockData.Open(dataPath, index);
        return new Block(blockDirectory, meta, index, data);
    }

    /// <summary>False when the trace is certainly not in the block (bloom filter); true when it may be.</summary>
    public bool MightContain(TraceId id) => _index.TraceBloom.MightContain(BlockIndex.TraceHash(id));

    /// <summary>
    /// Whether the block holds spans of the trace, exactly: the bloom filter, then the index's
    /// sorted ids (in memory). A fetch asks this of every other block for each trace it returns,
    /// and a false "yes" there costs a whole-trace read.
    /// </summary>
    public bool Contains(TraceId id) => MightContain(id) && _index.Find(id) >= 0;

    /// <summary>Every span of the trace in this block, ordered by start time; empty when absent.</summary>
    public IReadOnlyList<Span> FindTrace(TraceId id)
    {
        if (!MightContain(id)) return [];
        var at = _index.Find(id);
        if (at < 0) return [];
        var entry = _index.Traces[at];
        return _data.ReadRows(entry.RowGroup, entry.FirstRow, entry.SpanCount, CancellationToken.None);
    }

    /// <summary>
    /// The block's spans starting in the request's range that may satisfy its conditions, one
    /// <see cref="BlockSpanset"/> per trace in trace-id order. Prunes by the meta's time range and
    /// services, and per row group by time range, value bloom and value ranges. A row group that
    /// survives is read in two passes (Tempo's): the columns the conditions test, decoded and
    /// tested exactly with <see cref="ConditionEvaluator"/> on spans holding just those fields;
    /// then, only when a span matched, the columns a <see cref="SpansetSpan"/> needs, for the
    /// traces with a match. Trace-level fields come from this block's spans of the trace only.
    /// </summary>
    public IEnumerable<BlockSpanset> Fetch(FetchSpansRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = request.StartTimeUnixNano;
        var end = request.EffectiveEndUnixNano;
        if (Meta.MaxStartUnixNano < start || Meta.MinStartUnixNano >= end) yield break;
        var filters = request.Conditions.Where(c => c.Filters).ToArray();
        if (request.AllConditions && filters.Any(RuledOutByMeta)) yield break;
        var required = filters.Select(ValueKeys.Required).ToArray();
        var projection = ColumnProjection.For(request.Conditions);

        for (var g = 0; g < _index.RowGroups.Length; g++)
        {
            ct.ThrowIfCancellationRequested();
            var group = _index.RowGroups[g];
            if (group.MaxStartUnixNano < start || group.MinStartUnixNano >= end) continue;
            if (!MayMatch(group.Values, required, request.AllConditions)) continue;
            if (group.Ranges is { } ranges && RuledOutByRanges(ranges, filters, request.AllConditions)) continue;
            var firstTrace = _groupTraceStart[g];
            var lastTrace = _groupTraceStart[g + 1];
            var needsBlob = projection.NeedsBlob(group, _index.FormatVersion);
            var pieces = _data.ReadProjected(g, rows => FetchRowGroupAsync(rows, firstTrace, lastTrace, request, filters, projection, needsBlob, ct), ct);
            foreach (var piece in pieces) yield return piece;
        }
    }

    private async Task<List<BlockSpanset>> FetchRowGroupAsync(
        ProjectedRowGroup rows, int firstTrace, int lastTrace, FetchSpansRequest request, Condition[] filters,
        ColumnProjection projection, bool needsBlob, CancellationToken ct)
    {
        // First pass: the traces with a span in range passing the filters.
        await rows.LoadAsync(projection.Columns, projection.Dedicated, needsBlob, ct);
        var matched = new List<int>();
        for (var t = firstTrace; t < lastTrace; t++)
        {
            var entry = _index.Traces[t];
            for (var row = entry.FirstRow; row < entry.FirstRow + entry.SpanCount; row++)
            {
                if (!request.InRange(rows.Start(row))) continue;
                if (filters.Length > 0 && !SpanMatching.Passes(filters, request.AllConditions, rows.Build(row, entry.TraceId, default))) continue;
                matched.Add(t);
                break;
            }
        }
        if (matched.Count == 0) return [];

        // Second pass: the matching spans of those traces, and their summaries.
        await rows.LoadAsync(projection.Columns | SpanColumns.SpansetFields, projection.Dedicated, needsBlob, ct);
        var pieces = new List<BlockSpanset>(matched.Count);
        foreach (var t in matched)
        {
            var entry = _index.Traces[t];
            var parents = rows.ParentsOf(entry.FirstRow, entry.SpanCount);
            var trace = new Span[entry.SpanCount];
            for (var i = 0; i < trace.Length; i++) trace[i] = rows.Build(entry.FirstRow + i, entry.TraceId, parents[i]);
            var matches = new List<SpansetSpan>();
            foreach (var span in trace)
            {
                if (request.InRange(span.StartTimeUnixNano) && SpanMatching.Passes(filters, request.AllConditions, span))
                    matches.Add(SpanMatching.ToSpansetSpan(span, request.Conditions));
            }
            var summary = TraceSummarizer.Summarize(entry.TraceId, trace);
            pieces.Add(new BlockSpanset(new Spanset
            {
                TraceId = entry.TraceId,
                RootServiceName = summary.RootServiceName,
                RootSpanName = summary.RootSpanName,
                TraceStartUnixNano = summary.StartTimeUnixNano,
                TraceEndUnixNano = summary.StartTimeUnixNano + summary.DurationNanos,
                Spans = matches,
            }, Array.Exists(trace, s => s.IsRoot)));
        }
        return pieces;
    }

    /// <summary>Every trace of the block, in trace-id order, each ordered by start time (for compaction and retention).</summary>
    public IEnumerable<IReadOnlyList<Span>> ReadTraces(CancellationToken ct)
    {
        for (var g = 0; g < _index.RowGroups.Length; g++)
        {
            ct.ThrowIfCancellationRequested();
            var spans = _data.ReadRowGroup(g, ct);
            for (var t = _groupTraceStart[g]; t < _groupTraceStart[g + 1]; t++)
            {
                var entry = _index.Traces[t];
                yield return new ArraySegment<Span>(spans, entry.FirstRow, entry.SpanCount);
            }
        }
    }

    /// <summary>
    /// Distinct scalar values (string, int, double, bool) of an attribute in one scope on spans
    /// starting in [<paramref name="start"/>, <paramref name="end"/>) (0 for no end), sorted by
    /// <see cref="AttributeValueOrder"/>, at most <paramref name="limit"/>; strings longer than
    /// <paramref name="maxStringLength"/> are left out.
    /// </summary>
    public IReadOnlyList<AttributeValue> AttributeValues(ConditionScope scope, string key, ulong start, ulong end, int limit, int maxStringLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (scope == ConditionScope.Intrinsic)
            throw new ArgumentException("Intrinsic fields are not attributes: list services and operations instead.", nameof(scope));
        if (end == 0) end = ulong.MaxValue;
        if (limit <= 0 || Meta.MaxStartUnixNano < start || Meta.MinStartUnixNano >= end || !KeyKnown(scope, key)) return [];
        var values = new HashSet<AttributeValue>();
        for (var g = 0; g < _index.RowGroups.Length; g++)
        {
            var group = _index.RowGroups[g];
            if (group.MaxStartUnixNano < start || group.MinStartUnixNano >= end) continue;
            foreach (var span in _data.ReadRowGroup(g, CancellationToken.None))
            {
                if (span.StartTimeUnixNano < start || span.StartTimeUnixNano >= end) continue;
                foreach (var value in ValuesOf(span, scope, key))
                {
                    if (value.Type is AttributeType.Int or AttributeType.Double or AttributeType.Bool
                        || (value.Type == AttributeType.String && value.AsString().Length <= maxStringLength))
                    {
                        values.Add(value);
                    }
                }
            }
        }
        return [.. values.Order(AttributeValueOrder.Instance).Take(limit)];
    }

    /// <summary>The span names and kinds of a service in this block (from the meta), sorted by name then kind.</summary>
    public IReadOnlyList<Operation> Operations(string service) =>
        [.. Meta.Operations.Where(o => o.Service == service).Select(o => new Operation(o.Name, o.Kind))
            .OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Kind)];

    public void Dispose() => _data.Dispose();

    private bool KeyKnown(ConditionScope scope, string key) => scope switch
    {
        ConditionScope.Span => Meta.SpanAttributeKeys.Contains(key),
        ConditionScope.Resource => Meta.ResourceAttributeKeys.Contains(key),
        ConditionScope.Event => Meta.EventAttributeKeys.Contains(key),
        ConditionScope.Link => Meta.LinkAttributeKeys.Contains(key),
        _ => Meta.SpanAttributeKeys.Contains(key) || Meta.ResourceAttributeKeys.Contains(key),
    };

    private static IEnumerable<AttributeValue> ValuesOf(Span span, ConditionScope scope, string key)
    {
        IEnumerable<KeyValue[]> lists = scope switch
        {
            ConditionScope.Span => [span.Attributes],
            ConditionScope.Resource => [span.Resource.Attributes],
            ConditionScope.Event => span.Events.Select(e => e.Attributes),
            ConditionScope.Link => span.Links.Select(l => l.Attributes),
            _ => [span.Attributes, span.Resource.Attributes],
        };
        foreach (var list in lists)
        {
            foreach (var attribute in list)
            {
                if (attribute.Key == key) yield return attribute.Value;
            }
        }
    }

    private bool RuledOutByMeta(Condition condition) =>
        condition is { Scope: ConditionScope.Intrinsic, Name: Intrinsics.ServiceName, Operator: ConditionOperator.Equal, Operand: { } operand }
        && !Meta.Services.Contains(operand.AsString());

    // All conditions: one ruled out rules the group out. Any: every one must be.
    private static bool RuledOutByRanges(RowGroupRanges ranges, Condition[] filters, bool all)
    {
        if (filters.Length == 0) return false;
        foreach (var condition in filters)
        {
            var excluded = ranges.RulesOut(condition);
            if (all && excluded) return true;
            if (!all && !excluded) return false;
        }
        return !all;
    }

    private static bool MayMatch(BloomFilter values, ulong?[] required, bool all)
    {
        if (required.Length == 0) return true;
        foreach (var hash in required)
        {
            var possible = hash is not { } h || values.MightContain(h);
            if (all && !possible) return false;
            if (!all && possible) return true;
        }
        return all;
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new StorageCorruptionException(path, 0, "file missing from the block", e);
        }
    }
}
