using Parquet;
using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Turns the spans of one row group (sorted, with nested-set numbers) into its Parquet columns.</summary>
internal sealed class RowGroupEncoder
{
    private readonly BlobWriter _blob = new();

    // Resources and scopes are shared by many spans: encode each once per row group.
    private readonly Dictionary<Resource, byte[]> _resources = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<InstrumentationScope, byte[]?> _scopes = new(ReferenceEqualityComparer.Instance);

    public async Task WriteAsync(ParquetRowGroupWriter writer, IReadOnlyList<Span> spans, IReadOnlyList<(int Left, int Right, int Parent)> nested, CancellationToken ct)
    {
        var n = spans.Count;
        _resources.Clear();
        _scopes.Clear();
        var dedicatedCount = DedicatedColumns.All.Count;
        var dedicatedStrings = new string?[dedicatedCount][];
        var dedicatedInts = new long?[dedicatedCount][];
        for (var c = 0; c < dedicatedCount; c++)
        {
            if (DedicatedColumns.All[c].Type == AttributeType.Int) dedicatedInts[c] = new long?[n];
            else dedicatedStrings[c] = new string?[n];
        }
        var attributes = new byte[]?[n];
        Span<bool> taken = stackalloc bool[dedicatedCount];
        for (var i = 0; i < n; i++)
        {
            var span = spans[i];
            taken.Clear();
            _blob.Clear();
            AttributeCodec.WriteAttributes(_blob, span.Attributes, taken);
            attributes[i] = span.Attributes.Length == 0 ? null : _blob.ToArray();
            for (var c = 0; c < dedicatedCount; c++)
            {
                if (!taken[c]) continue;
                var value = First(span.Attributes, DedicatedColumns.All[c]);
                if (value.Type == AttributeType.Int) dedicatedInts[c]![i] = value.AsInt();
                else dedicatedStrings[c]![i] = value.AsString();
            }
        }

        await writer.WriteAsync(BlockSchema.TraceId, Map(spans, s => s.TraceId.ToBytes()));
        await writer.WriteAsync(BlockSchema.SpanId, Map(spans, s => s.SpanId.ToBytes()));
        await writer.WriteAsync(BlockSchema.ParentSpanId, Map(spans, s => s.ParentSpanId.IsEmpty ? null : s.ParentSpanId.ToBytes()));
        await WriteInts(writer, BlockSchema.NestedSetLeft, nested.Select(x => x.Left), ct);
        await WriteInts(writer, BlockSchema.NestedSetRight, nested.Select(x => x.Right), ct);
        await WriteInts(writer, BlockSchema.NestedSetParent, nested.Select(x => x.Parent), ct);
        await WriteLongs(writer, BlockSchema.StartUnixNano, spans.Select(s => unchecked((long)s.StartTimeUnixNano)), ct);
        await WriteLongs(writer, BlockSchema.DurationNano, spans.Select(s => unchecked((long)(s.EndTimeUnixNano - s.StartTimeUnixNano))), ct);
        await writer.WriteAsync(BlockSchema.Name, Map(spans, s => s.Name));
        await WriteInts(writer, BlockSchema.Kind, spans.Select(s => (int)s.Kind), ct);
        await WriteInts(writer, BlockSchema.StatusCode, spans.Select(s => (int)s.Status.Code), ct);
        await writer.WriteAsync(BlockSchema.StatusMessage, Map(spans, s => NullIfEmpty(s.Status.Message)));
        await writer.WriteAsync(BlockSchema.TraceState, Map(spans, s => NullIfEmpty(s.TraceState)));
        await WriteInts(writer, BlockSchema.Flags, spans.Select(s => unchecked((int)s.Flags)), ct);
        await WriteInts(writer, BlockSchema.DroppedAttributesCount, spans.Select(s => unchecked((int)s.DroppedAttributesCount)), ct);
        await WriteInts(writer, BlockSchema.DroppedEventsCount, spans.Select(s => unchecked((int)s.DroppedEventsCount)), ct);
        await WriteInts(writer, BlockSchema.DroppedLinksCount, spans.Select(s => unchecked((int)s.DroppedLinksCount)), ct);
        await writer.WriteAsync(BlockSchema.ServiceName, Map(spans, s => s.ServiceName));
        await writer.WriteAsync(BlockSchema.ScopeName, Map(spans, s => NullIfEmpty(s.Scope.Name)));
        await writer.WriteAsync(BlockSchema.ScopeVersion, Map(spans, s => NullIfEmpty(s.Scope.Version)));
        for (var c = 0; c < dedicatedCount; c++)
        {
            var field = BlockSchema.Dedicated[c];
            if (dedicatedInts[c] is { } ints) await writer.WriteAsync<long>(field, ints.AsMemory(), null, null, ct);
            else await writer.WriteAsync(field, dedicatedStrings[c]!);
        }
        await writer.WriteAsync(BlockSchema.Attributes, attributes);
        await writer.WriteAsync(BlockSchema.Resource, Map(spans, EncodeResource));
        await writer.WriteAsync(BlockSchema.ScopeExtra, Map(spans, EncodeScope));
        await writer.WriteAsync(BlockSchema.Events, Map(spans, EncodeEvents));
        await writer.WriteAsync(BlockSchema.Links, Map(spans, EncodeLinks));
    }

    private byte[] EncodeResource(Span span)
    {
        if (_resources.TryGetValue(span.Resource, out var bytes)) return bytes;
        _blob.Clear();
        AttributeCodec.WriteEntity(_blob, span.Resource.Attributes, span.Resource.DroppedAttributesCount, span.Resource.SchemaUrl);
        return _resources[span.Resource] = _blob.ToArray();
    }

    // Name and version have columns; the rest of a scope is usually empty and then stored as null.
    private byte[]? EncodeScope(Span span)
    {
        var scope = span.Scope;
        if (_scopes.TryGetValue(scope, out var bytes)) return bytes;
        if (scope.Attributes.Length == 0 && scope.DroppedAttributesCount == 0 && scope.SchemaUrl.Length == 0) return _scopes[scope] = null;
        _blob.Clear();
        AttributeCodec.WriteEntity(_blob, scope.Attributes, scope.DroppedAttributesCount, scope.SchemaUrl);
        return _scopes[scope] = _blob.ToArray();
    }

    private byte[]? EncodeEvents(Span span)
    {
        if (span.Events.Length == 0) return null;
        _blob.Clear();
        AttributeCodec.WriteEvents(_blob, span.Events, span.StartTimeUnixNano);
        return _blob.ToArray();
    }

    private byte[]? EncodeLinks(Span span)
    {
        if (span.Links.Length == 0) return null;
        _blob.Clear();
        AttributeCodec.WriteLinks(_blob, span.Links);
        return _blob.ToArray();
    }

    private static AttributeValue First(KeyValue[] attributes, DedicatedColumn column)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == column.Key && attribute.Value.Type == column.Type) return attribute.Value;
        }
        throw new InvalidOperationException($"No {column.Key} on a span the codec gave that column.");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static T[] Map<T>(IReadOnlyList<Span> spans, Func<Span, T> select)
    {
        var result = new T[spans.Count];
        for (var i = 0; i < result.Length; i++) result[i] = select(spans[i]);
        return result;
    }

    private static Task WriteInts(ParquetRowGroupWriter writer, Parquet.Schema.DataField field, IEnumerable<int> values, CancellationToken ct) =>
        writer.WriteAsync<int>(field, values.ToArray().AsMemory(), null, null, ct);

    private static Task WriteLongs(ParquetRowGroupWriter writer, Parquet.Schema.DataField field, IEnumerable<long> values, CancellationToken ct) =>
        writer.WriteAsync<long>(field, values.ToArray().AsMemory(), null, null, ct);
}
