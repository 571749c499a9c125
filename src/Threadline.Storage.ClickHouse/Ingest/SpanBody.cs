using Threadline.Core.Model;
using Threadline.Storage.Embedded.Wal;

namespace Threadline.Storage.ClickHouse.Ingest;

/// <summary>A span's <c>body</c> column: the span alone, exactly, in the write-ahead log's batch form.</summary>
internal static class SpanBody
{
    /// <exception cref="InvalidDataException">The bytes are not one span in the log's form.</exception>
    public static Span Decode(ReadOnlySpan<byte> body)
    {
        var spans = SpanBatchCodec.Decode(body);
        return spans.Length == 1 ? spans[0] : throw new InvalidDataException($"A span body holds {spans.Length} spans, not one.");
    }
}
