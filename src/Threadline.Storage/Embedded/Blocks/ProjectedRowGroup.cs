using Parquet;
using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// Some columns of one row group, decoded as asked for (each at most once), and spans built from
/// them: fields whose columns were not read keep their defaults. A fetch tests conditions on such
/// spans, so that a span holds exactly what <see cref="Fetch.ConditionEvaluator"/> looks at for
/// those conditions, the same as a span decoded whole.
/// </summary>
internal sealed class ProjectedRowGroup
{
    private static readonly Func<string, Resource> ServiceOnly =
        service => new Resource([new KeyValue("service.name", AttributeValue.FromString(service))]);

    private readonly ParquetRowGroupReader _reader;
    private readonly int _rows;
    private readonly Action _columnDecoded;
    private readonly bool[] _dedicatedLoaded = new bool[DedicatedColumns.All.Count];
    private readonly AttributeValue?[]?[] _dedicated = new AttributeValue?[DedicatedColumns.All.Count][];
    private readonly AttributeValue?[] _dedicatedRow = new AttributeValue?[DedicatedColumns.All.Count];
    private readonly Dictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Resource> _serviceResources = new(StringComparer.Ordinal);
    private SpanColumns _loaded;
    private bool _blobLoaded, _anyDedicated;

    private long[] _starts = [], _durations = [];
    private string?[] _names = [], _statusMessages = [], _services = [], _resourceTexts = [];
    private int[] _kinds = [], _statusCodes = [], _lefts = [], _parentLefts = [];
    private byte[]?[] _traceIds = [], _spanIds = [], _parents = [], _attributes = [], _events = [], _links = [];

    public ProjectedRowGroup(ParquetRowGroupReader reader, Action columnDecoded)
    {
        _reader = reader;
        _rows = checked((int)reader.RowCount);
        _columnDecoded = columnDecoded;
    }

    public int RowCount => _rows;

    /// <summary>Decodes the columns not decoded yet among those asked for.</summary>
    public async Task LoadAsync(SpanColumns columns, ReadOnlyMemory<bool> dedicated, bool blob, CancellationToken ct)
    {
        var missing = columns & ~_loaded;
        var n = _rows;
        if (missing.HasFlag(SpanColumns.Start)) _starts = await Values<long>(BlockSchema.StartUnixNano, ct);
        if (missing.HasFlag(SpanColumns.Duration)) _durations = await Values<long>(BlockSchema.DurationNano, ct);
        if (missing.HasFlag(SpanColumns.Name)) _names = await Strings(BlockSchema.Name, ct);
        if (missing.HasFlag(SpanColumns.Kind)) _kinds = await Values<int>(BlockSchema.Kind, ct);
        if (missing.HasFlag(SpanColumns.Status))
        {
            _statusCodes = await Values<int>(BlockSchema.StatusCode, ct);
            _statusMessages = await Strings(BlockSchema.StatusMessage, ct);
        }
        if (missing.HasFlag(SpanColumns.Service)) _services = await Strings(BlockSchema.ServiceName, ct);
        if (missing.HasFlag(SpanColumns.Resource)) _resourceTexts = await Strings(BlockSchema.Resource, ct);
        if (missing.HasFlag(SpanColumns.Identity))
        {
            _traceIds = await Bytes(BlockSchema.TraceId, ct);
            _spanIds = await Bytes(BlockSchema.SpanId, ct);
            _parents = await Bytes(BlockSchema.ParentSpanId, ct);
            _lefts = await Values<int>(BlockSchema.NestedSetLeft, ct);
            _parentLefts = await Values<int>(BlockSchema.NestedSetParent, ct);
        }
        if (missing.HasFlag(SpanColumns.Events)) _events = await Bytes(BlockSchema.Events, ct);
        if (missing.HasFlag(SpanColumns.Links)) _links = await Bytes(BlockSchema.Links, ct);
        _loaded |= columns;
        if ((blob || columns.HasFlag(SpanColumns.Attributes)) && !_blobLoaded)
        {
            _attributes = await Bytes(BlockSchema.Attributes, ct);
            _blobLoaded = true;
        }
        for (var c = 0; c < dedicated.Length; c++)
        {
            if (!dedicated.Span[c] || _dedicatedLoaded[c]) continue;
            var column = _dedicated[c] = new AttributeValue?[n];
            if (DedicatedColumns.All[c].Type == AttributeType.Int)
            {
                var ints = new long?[n];
                _columnDecoded();
                await _reader.ReadAsync<long>(BlockSchema.Dedicated[c], ints.AsMemory(), null, ct);
                for (var i = 0; i < n; i++) column[i] = ints[i] is { } v ? AttributeValue.FromInt(v) : (AttributeValue?)null;
            }
            else
            {
                var strings = await Strings(BlockSchema.Dedicated[c], ct);
                for (var i = 0; i < n; i++) column[i] = strings[i] is { } v ? AttributeValue.FromString(v) : (AttributeValue?)null;
            }
            _dedicatedLoaded[c] = true;
            _anyDedicated = true;
        }
    }

    public ulong Start(int row) => unchecked((ulong)_starts[row]);

    /// <summary>
    /// The parent of each of the rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>),
    /// which hold one whole trace (a parent in the trace is named by its left number). Needs <see cref="SpanColumns.Identity"/>.
    /// </summary>
    public SpanId[] ParentsOf(int first, int count)
    {
        var spanIdByLeft = new Dictionary<(TraceId, int), SpanId>(count);
        for (var i = first; i < first + count; i++)
            spanIdByLeft[(TraceId.FromBytes(RowGroupDecoder.Required(_traceIds[i], "trace_id")), _lefts[i])] = SpanId.FromBytes(RowGroupDecoder.Required(_spanIds[i], "span_id"));
        var parents = new SpanId[count];
        for (var i = first; i < first + count; i++)
            parents[i - first] = RowGroupDecoder.ParentOf(_parents[i], _parentLefts[i], RowGroupDecoder.Required(_traceIds[i], "trace_id"), spanIdByLeft);
        return parents;
    }

    /// <summary>The span of a row with the fields of the columns decoded so far.</summary>
    public Span Build(int row, TraceId traceId, SpanId parent)
    {
        var start = Start(row);
        var identity = _loaded.HasFlag(SpanColumns.Identity);
        return new Span
        {
            TraceId = traceId,
            SpanId = identity ? SpanId.FromBytes(RowGroupDecoder.Required(_spanIds[row], "span_id")) : default,
            ParentSpanId = parent,
            Name = _loaded.HasFlag(SpanColumns.Name) ? _names[row] ?? throw new InvalidDataException("A span has no name.") : string.Empty,
            Kind = _loaded.HasFlag(SpanColumns.Kind) ? (SpanKind)_kinds[row] : default,
            StartTimeUnixNano = start,
            EndTimeUnixNano = _loaded.HasFlag(SpanColumns.Duration) ? unchecked(start + (ulong)_durations[row]) : start,
            Status = _loaded.HasFlag(SpanColumns.Status) ? new SpanStatus((StatusCode)_statusCodes[row], _statusMessages[row] ?? string.Empty) : SpanStatus.Unset,
            Attributes = AttributesOf(row),
            Events = _loaded.HasFlag(SpanColumns.Events) && _events[row] is { } events ? ReadEvents(events, start) : [],
            Links = _loaded.HasFlag(SpanColumns.Links) && _links[row] is { } links ? ReadLinks(links) : [],
            Resource = ResourceOf(row),
        };
    }

    private KeyValue[] AttributesOf(int row)
    {
        var dedicatedRow = _dedicatedRow;
        var present = 0;
        for (var c = 0; c < _dedicated.Length; c++)
        {
            if (_dedicated[c] is { } column && (dedicatedRow[c] = column[row]) is not null) present++;
        }
        if (_blobLoaded)
        {
            if (_attributes[row] is not { } blob) return [];
            var reader = new BlobReader(blob);
            return AttributeCodec.ReadAttributes(ref reader, dedicatedRow, _dedicatedLoaded);
        }
        if (!_anyDedicated || present == 0) return [];
        // No key a condition names is in the generic attributes of this row group: the
        // dedicated values are all the span has of those keys.
        var attributes = new KeyValue[present];
        var at = 0;
        for (var c = 0; c < _dedicated.Length; c++)
        {
            if (dedicatedRow[c] is { } value) attributes[at++] = new KeyValue(DedicatedColumns.All[c].Key, value);
        }
        return attributes;
    }

    private Resource ResourceOf(int row)
    {
        if (_loaded.HasFlag(SpanColumns.Resource)) return RowGroupDecoder.ResourceOf(_resources, _resourceTexts[row]);
        if (!_loaded.HasFlag(SpanColumns.Service)) return Resource.Empty;
        var service = _services[row] ?? throw new InvalidDataException("Column service_name holds a null.");
        if (!_serviceResources.TryGetValue(service, out var resource)) _serviceResources[service] = resource = ServiceOnly(service);
        return resource;
    }

    private static SpanEvent[] ReadEvents(byte[] blob, ulong start)
    {
        var reader = new BlobReader(blob);
        return AttributeCodec.ReadEvents(ref reader, start);
    }

    private static SpanLink[] ReadLinks(byte[] blob)
    {
        var reader = new BlobReader(blob);
        return AttributeCodec.ReadLinks(ref reader);
    }

    private async Task<byte[]?[]> Bytes(Parquet.Schema.DataField field, CancellationToken ct)
    {
        _columnDecoded();
        return await RowGroupDecoder.Bytes(_reader, field, _rows, ct);
    }

    private async Task<string?[]> Strings(Parquet.Schema.DataField field, CancellationToken ct)
    {
        _columnDecoded();
        return await RowGroupDecoder.Strings(_reader, field, _rows, ct);
    }

    private async Task<T[]> Values<T>(Parquet.Schema.DataField field, CancellationToken ct)
        where T : struct
    {
        _columnDecoded();
        return await RowGroupDecoder.Values<T>(_reader, field, _rows, ct);
    }
}
