using Parquet;
using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Decodes one row group of data.parquet back into spans, sharing equal resources and scopes among them.</summary>
internal static class RowGroupDecoder
{
    /// <summary>
    /// Spans of rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).
    /// Parquet decodes whole column chunks; building spans only for the rows asked for is what a
    /// trace lookup saves.
    /// </summary>
    public static async Task<Span[]> ReadAsync(ParquetRowGroupReader reader, int first, int count, CancellationToken ct)
    {
        var n = checked((int)reader.RowCount);
        if (first < 0 || count < 0 || first + count > n)
            throw new InvalidDataException($"Rows {first}..{first + count} asked of a row group of {n}.");
        var traceIds = await Bytes(reader, BlockSchema.TraceId, n, ct);
        var spanIds = await Bytes(reader, BlockSchema.SpanId, n, ct);
        var parents = await Bytes(reader, BlockSchema.ParentSpanId, n, ct);
        var lefts = await Values<int>(reader, BlockSchema.NestedSetLeft, n, ct);
        var parentLefts = await Values<int>(reader, BlockSchema.NestedSetParent, n, ct);
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
                for (var i = first; i < first + count; i++) column[i] = ints[i] is { } v ? AttributeValue.FromInt(v) : (AttributeValue?)null;
            }
            else
            {
                var strings = await Strings(reader, BlockSchema.Dedicated[c], n, ct);
                for (var i = first; i < first + count; i++) column[i] = strings[i] is { } v ? AttributeValue.FromString(v) : (AttributeValue?)null;
            }
        }
        var attributes = await Bytes(reader, BlockSchema.Attributes, n, ct);
        var resourceTexts = await Strings(reader, BlockSchema.Resource, n, ct);
        var scopeBlobs = await Bytes(reader, BlockSchema.ScopeExtra, n, ct);
        var events = await Bytes(reader, BlockSchema.Events, n, ct);
        var links = await Bytes(reader, BlockSchema.Links, n, ct);

        var resources = new Dictionary<string, Resource>(StringComparer.Ordinal);
        // The rows asked for are whole traces: a parent in the trace is found by its left number.
        var spanIdByLeft = new Dictionary<(TraceId, int), SpanId>(count);
        for (var i = first; i < first + count; i++)
            spanIdByLeft[(TraceId.FromBytes(Required(traceIds[i], "trace_id")), lefts[i])] = SpanId.FromBytes(Required(spanIds[i], "span_id"));
        var scopes = new Dictionary<(string, string, ReadOnlyMemory<byte>), InstrumentationScope>(ScopeKeyComparer.Instance);
        var spans = new Span[count];
        var dedicatedRow = new AttributeValue?[dedicatedCount];
        for (var i = first; i < first + count; i++)
        {
            for (var c = 0; c < dedicatedCount; c++) dedicatedRow[c] = dedicated[c][i];
            var start = unchecked((ulong)starts[i]);
            var attributeReader = new BlobReader(attributes[i]);
            var eventReader = new BlobReader(events[i]);
            var linkReader = new BlobReader(links[i]);
            spans[i - first] = new Span
            {
                TraceId = TraceId.FromBytes(Required(traceIds[i], "trace_id")),
                SpanId = SpanId.FromBytes(Required(spanIds[i], "span_id")),
                ParentSpanId = ParentOf(parents[i], parentLefts[i], traceIds[i]!, spanIdByLeft),
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
                Resource = ResourceOf(resources, resourceTexts[i]),
                Scope = ScopeOf(scopes, scopeNames[i] ?? string.Empty, scopeVersions[i] ?? string.Empty, scopeBlobs[i]),
            };
        }
        return spans;
    }

    internal static SpanId ParentOf(byte[]? stored, int parentLeft, byte[] traceId, Dictionary<(TraceId, int), SpanId> spanIdByLeft)
    {
        if (stored is not null) return SpanId.FromBytes(stored);
        if (parentLeft == 0) return SpanId.Empty;
        return spanIdByLeft.TryGetValue((TraceId.FromBytes(traceId), parentLeft), out var parent)
            ? parent
            : throw new InvalidDataException($"nested_set_parent {parentLeft} names no span of trace {TraceId.FromBytes(traceId)}.");
    }

    internal static Resource ResourceOf(Dictionary<string, Resource> cache, string? text)
    {
        if (text is null) throw new InvalidDataException("Column resource holds a null.");
        if (cache.TryGetValue(text, out var resource)) return resource;
        var bytes = new byte[text.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var length)) throw new InvalidDataException("Column resource is not base64.");
        var reader = new BlobReader(bytes.AsSpan(0, length));
        var (attributes, dropped, schemaUrl) = AttributeCodec.ReadEntity(ref reader);
        return cache[text] = new Resource(attributes, dropped, schemaUrl);
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

    internal static byte[] Required(byte[]? value, string column) => value ?? throw new InvalidDataException($"Column {column} holds a null.");

    internal static async Task<byte[]?[]> Bytes(ParquetRowGroupReader reader, Parquet.Schema.DataField field, int n, CancellationToken ct)
    {
        var values = new byte[]?[n];
        await reader.ReadAsync(field, values.AsMemory(), null, ct);
        return values;
    }

    internal static async Task<string?[]> Strings(ParquetRowGroupReader reader, Parquet.Schema.DataField field, int n, CancellationToken ct)
    {
        var values = new string?[n];
        await reader.ReadAsync(field, values.AsMemory(), null, ct);
        return values;
    }

    internal static async Task<T[]> Values<T>(ParquetRowGroupReader reader, Parquet.Schema.DataField field, int n, CancellationToken ct)
        where T : struct
    {
        var values = new T[n];
        await reader.ReadAsync<T>(field, values.AsMemory(), null, ct);
        return values;
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
