using Threadline.Core.Model;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Collects a block's <see cref="BlockMeta"/> from the spans written.</summary>
internal sealed class BlockMetaBuilder
{
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);
    private readonly HashSet<BlockOperation> _operations = [];
    private readonly HashSet<string> _spanKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resourceKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _eventKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _linkKeys = new(StringComparer.Ordinal);
    private Resource? _lastResource;
    private ulong _minStart = ulong.MaxValue, _maxStart, _maxEnd;
    private int _traceCount;

    public int SpanCount { get; private set; }

    public void Add(Span span)
    {
        SpanCount++;
        _minStart = Math.Min(_minStart, span.StartTimeUnixNano);
        _maxStart = Math.Max(_maxStart, span.StartTimeUnixNano);
        _maxEnd = Math.Max(_maxEnd, Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano));
        _services.Add(span.ServiceName);
        _operations.Add(new BlockOperation(span.ServiceName, span.Name, span.Kind));
        foreach (var a in span.Attributes) _spanKeys.Add(a.Key);
        if (!ReferenceEquals(span.Resource, _lastResource))
        {
            _lastResource = span.Resource;
            foreach (var a in span.Resource.Attributes) _resourceKeys.Add(a.Key);
        }
        foreach (var e in span.Events)
        {
            foreach (var a in e.Attributes) _eventKeys.Add(a.Key);
        }
        foreach (var link in span.Links)
        {
            foreach (var a in link.Attributes) _linkKeys.Add(a.Key);
        }
    }

    public void AddTrace() => _traceCount++;

    public BlockMeta Build(string blockId, int compactionLevel, long sizeBytes, int rowGroups) => new()
    {
        FormatVersion = StorageFormat.BlockFormatVersion,
        BlockId = blockId,
        MinStartUnixNano = _minStart,
        MaxStartUnixNano = _maxStart,
        MaxEndUnixNano = _maxEnd,
        SpanCount = SpanCount,
        TraceCount = _traceCount,
        SizeBytes = sizeBytes,
        CompactionLevel = compactionLevel,
        RowGroupCount = rowGroups,
        Services = Sorted(_services),
        Operations = [.. _operations.OrderBy(o => o.Service, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Kind)],
        SpanAttributeKeys = Sorted(_spanKeys),
        ResourceAttributeKeys = Sorted(_resourceKeys),
        EventAttributeKeys = Sorted(_eventKeys),
        LinkAttributeKeys = Sorted(_linkKeys),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static string[] Sorted(HashSet<string> set) => [.. set.Order(StringComparer.Ordinal)];
}
