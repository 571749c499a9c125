using Parquet;
using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Decodes one row group of data.parquet back into spans, sharing equal resources and scopes among them.</summary>
internal static class RowGroupDecoder
{
    public static async Task<Span[]> ReadAsync(ParquetRowGroupReader reader, CancellationToken ct)
    {
        var n = checked((int)reader.RowCount);
        var traceIds = await Bytes(reader, BlockSchema.TraceId, n, ct);
        var spanIds = await Bytes(reader, BlockSchema.SpanId, n, ct);
        var parents = await Bytes(reader, BlockSchema.ParentSpanId, n, ct);
        var starts = await Values<long>(reader, BlockSchema.StartUnixNano, n, ct);
        var durations = await Values<long>(reader, BlockSchema.DurationNano, n, ct);
        var names = await Strings(reader, BlockSchema.Name, n, ct);
        var kinds = await Values<int>(reader, BlockSchema.Kind, n, ct);
        var statusCodes = await Values<int>(reader, BlockSchema.StatusCode, n, ct);
        var statusMessages = await Strings(reader, BlockSchema.StatusMessage, n, ct);
        var traceStates = await Strings(reader, BlockSchema.TraceState, n, ct);
        var flags = await Values<int>(reader, BlockSchema.Flags, n, ct);
        var droppedAttributes = await Values<int>(reader, BlockSchema.DroppedAttributesCount, n, ct);
        var droppedEvents = await Values<int>(reader, BlockSchema.DroppedEventsCount, n, ct);
        var droppedLinks = await Values<int>(reader, BlockSchema.DroppedLinksCount, n, ct);
        var scopeNames = await Strings(reader, BlockSchema.ScopeName, n, ct);
        var scopeVersions = await Strings(reader, BlockSchema.ScopeVersion, n, ct);
        var dedicatedCount = DedicatedColumns.All.Count;
        var dedicated = new AttributeValue?[dedicatedCount][];
        for (var c = 0; c < dedicatedCount; c++)
        {
            var column = dedicated[c] = new AttributeValue?[n];
            if (DedicatedColumns.All[c].Type == AttributeType.Int)
            {
                var ints = new long?[n];
                await reader.ReadAsync<long>(BlockSchema.Dedicated[c], ints.AsMemory(), null, ct);
                for (var i = 0; i < n; i++) column[i] = ints[i] is { } v ? AttributeValue.FromInt(v) : (AttributeValue?)null;
            }
            else
            {
                var strings = await Strings(reader, BlockSchema.Dedicated[c], n, ct);
                for (var i = 0; i < n; i++) column[i] = strings[i] is { } v ? AttributeValue.FromString(v) : (AttributeValue?)null;
            }
        }
        var attributes = await Bytes(reader, BlockSchema.Attributes, n, ct);
        var resourceBlobs = await Bytes(reader, BlockSchema.Resource, n, ct);
        var scopeBlobs = await Bytes(reader, BlockSchema.ScopeExtra, n, ct);
        var events = await Bytes(reader, BlockSchema.Events, n, ct);
        var links = await Bytes(reader, BlockSchema.Links, n, ct);

        var resources = new Dictionary<ReadOnlyMemory<byte>, Resource>(BlobComparer.Instance);
        var scopes = new Dictionary<(string, string, ReadOnlyMemory<byte>), InstrumentationScope>(ScopeKeyComparer.Instance);
        var spans = new Span[n];
        var dedicatedRow = new AttributeValue?[dedicatedCount];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < dedicatedCount; c++) dedicatedRow[c] = dedicated[c][i];
            var start = unchecked((ulong)starts[i]);
            var attributeReader = new BlobReader(attributes[i]);
            var eventReader = new BlobReader(events[i]);
            var linkReader = new BlobReader(links[i]);
            spans[i] = new Span
            {
                TraceId = TraceId.FromBytes(Required(traceIds[i], "trace_id")),
                SpanId = SpanId.FromBytes(Required(spanIds[i], "span_id")),
                ParentSpanId = parents[i] is { } parent ? SpanId.FromBytes(parent) : SpanId.Empty,
                TraceState = traceStates[i] ?? string.Empty,
                Flags = unchecked((uint)flags[i]),
                Name = names[i] ?? throw new InvalidDataException("A span has no name."),
                Kind = (SpanKind)kinds[i],
                StartTimeUnixNano = start,
                EndTimeUnixNano = unchecked(start + (ulong)durations[i]),
                Attributes = attributes[i] is null ? [] : AttributeCodec.ReadAttributes(ref attributeReader, dedicatedRow),
                DroppedAttributesCount = unchecked((uint)droppedAttributes[i]),
                Events = events[i] is null ? [] : AttributeCodec.ReadEvents(ref eventReader, start),
                DroppedEventsCount = unchecked((uint)droppedEvents[i]),
                Links = links[i] is null ? [] : AttributeCodec.ReadLinks(ref linkReader),
                DroppedLinksCount = unchecked((uint)droppedLinks[i]),
                Status = new SpanStatus((StatusCode)statusCodes[i], statusMessages[i] ?? string.Empty),
                Resource = ResourceOf(resources, resourceBlobs[i]),
                Scope = ScopeOf(scopes, scopeNames[i] ?? string.Empty, scopeVersions[i] ?? string.Empty, scopeBlobs[i]),
            };
        }
        return spans;
    }

    private static Resource ResourceOf(Dictionary<ReadOnlyMemory<byte>, Resource> cache, byte[]? blob)
    {
        if (blob is null) return Resource.Empty;
        if (cache.TryGetValue(blob, out var resource)) return resource;
        var reader = new BlobReader(blob);
        var (attributes, dropped, schemaUrl) = AttributeCodec.ReadEntity(ref reader);
        return cache[blob] = new Resource(attributes, dropped, schemaUrl);
    }

    private static InstrumentationScope ScopeOf(Dictionary<(string, string, ReadOnlyMemory<byte>), InstrumentationScope> cache, string name, string version, byte[]? blob)
    {
        var key = (name, version, (ReadOnlyMemory<byte>)(blob ?? []));
        if (cache.TryGetValue(key, out var scope)) return scope;
        if (blob is null) return cache[key] = new InstrumentationScope(name, version);
        var reader = new BlobReader(blob);
        var (attributes, dropped, schemaUrl) = AttributeCodec.ReadEntity(ref reader);
        return cache[key] = new InstrumentationScope(name, version, attributes, dropped, schemaUrl);
    }

    private static byte[] Required(byte[]? value, string column) => value ?? throw new InvalidDataException($"Column {column} holds a null.");

    private static async Task<byte[]?[]> Bytes(ParquetRowGroupReader reader, Parquet.Schema.DataField field, int n, CancellationToken ct)
    {
        var values = new byte[]?[n];
        await reader.ReadAsync(field, values.AsMemory(), null, ct);
        return values;
    }

    private static async Task<string?[]> Strings(ParquetRowGroupReader reader, Parquet.Schema.DataField field, int n, CancellationToken ct)
    {
        var values = new string?[n];
        await reader.ReadAsync(field, values.AsMemory(), null, ct);
        return values;
    }

    private static async Task<T[]> Values<T>(ParquetRowGroupReader reader, Parquet.Schema.DataField field, int n, CancellationToken ct)
        where T : struct
    {
        var values = new T[n];
        await reader.ReadAsync<T>(field, values.AsMemory(), null, ct);
        return values;
    }

    private sealed class BlobComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly BlobComparer Instance = new();
        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);
        public int GetHashCode(ReadOnlyMemory<byte> obj) => (int)BloomFilter.Hash(obj.Span);
    }

    private sealed class ScopeKeyComparer : IEqualityComparer<(string, string, ReadOnlyMemory<byte>)>
    {
        public static readonly ScopeKeyComparer Instance = new();
        public bool Equals((string, string, ReadOnlyMemory<byte>) x, (string, string, ReadOnlyMemory<byte>) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.Span.SequenceEqual(y.Item3.Span);
        public int GetHashCode((string, string, ReadOnlyMemory<byte>) obj) =>
            HashCode.Combine(obj.Item1, obj.Item2, (int)BloomFilter.Hash(obj.Item3.Span));
    }
}
