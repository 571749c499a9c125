using Threadline.Protobuf;
using Threadline.Protocol.Otlp;

namespace Threadline.Protocol.Tempo;

/// <summary>
/// Decodes the requests of Tempo's gRPC StreamingQuerier, field numbers as in Tempo 2.7's
/// <c>tempo.proto</c>. Fields this server has no use for (block ids, RF1 options) are skipped.
/// </summary>
/// <exception cref="ProtocolException">The bytes are not the message; the message names the field and offset.</exception>
public static class TempoRequestDecoder
{
    /// <summary>SearchRequest: Tags = 1 (map), MinDurationMs = 2, MaxDurationMs = 3, Limit = 4, start = 5, end = 6, Query = 8, SpansPerSpanSet = 9.</summary>
    public static TempoSearchRequest DecodeSearchRequest(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        var tags = new List<KeyValuePair<string, string>>();
        uint min = 0, max = 0, limit = 0, start = 0, end = 0, spss = 0;
        var query = string.Empty;
        while (reader.HasMore)
        {
            var tag = reader.ReadTag();
            switch (tag)
            {
                case (1 << 3) | WireType.LengthDelimited: tags.Add(ReadMapEntry(reader.ReadLengthDelimited())); break;
                case (2 << 3) | WireType.Varint: min = reader.ReadUInt32(); break;
                case (3 << 3) | WireType.Varint: max = reader.ReadUInt32(); break;
                case (4 << 3) | WireType.Varint: limit = reader.ReadUInt32(); break;
                case (5 << 3) | WireType.Varint: start = reader.ReadUInt32(); break;
                case (6 << 3) | WireType.Varint: end = reader.ReadUInt32(); break;
                case (8 << 3) | WireType.LengthDelimited: query = ReadString(reader.ReadLengthDelimited()); break;
                case (9 << 3) | WireType.Varint: spss = reader.ReadUInt32(); break;
                default: reader.SkipUnknownField(tag, Fields(1, 2, 3, 4, 5, 6, 8, 9), "tempopb.SearchRequest"); break;
            }
        }
        return new TempoSearchRequest
        {
            Tags = tags, MinDurationMs = min, MaxDurationMs = max, Limit = limit,
            StartSeconds = start, EndSeconds = end, Query = query, SpansPerSpanSet = spss,
        };
    }

    /// <summary>SearchTagsRequest: scope = 1, query = 2, start = 3, end = 4.</summary>
    public static TempoSearchTagsRequest DecodeSearchTagsRequest(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        string scope = string.Empty, query = string.Empty;
        uint start = 0, end = 0;
        while (reader.HasMore)
        {
            var tag = reader.ReadTag();
            switch (tag)
            {
                case (1 << 3) | WireType.LengthDelimited: scope = ReadString(reader.ReadLengthDelimited()); break;
                case (2 << 3) | WireType.LengthDelimited: query = ReadString(reader.ReadLengthDelimited()); break;
                case (3 << 3) | WireType.Varint: start = reader.ReadUInt32(); break;
                case (4 << 3) | WireType.Varint: end = reader.ReadUInt32(); break;
                default: reader.SkipUnknownField(tag, Fields(1, 2, 3, 4), "tempopb.SearchTagsRequest"); break;
            }
        }
        return new TempoSearchTagsRequest { Scope = scope, Query = query, StartSeconds = start, EndSeconds = end };
    }

    /// <summary>SearchTagValuesRequest: tagName = 1, query = 2, start = 4, end = 5, maxTagValues = 6.</summary>
    public static TempoSearchTagValuesRequest DecodeSearchTagValuesRequest(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        string name = string.Empty, query = string.Empty;
        uint start = 0, end = 0, max = 0;
        while (reader.HasMore)
        {
            var tag = reader.ReadTag();
            switch (tag)
            {
                case (1 << 3) | WireType.LengthDelimited: name = ReadString(reader.ReadLengthDelimited()); break;
                case (2 << 3) | WireType.LengthDelimited: query = ReadString(reader.ReadLengthDelimited()); break;
                case (4 << 3) | WireType.Varint: start = reader.ReadUInt32(); break;
                case (5 << 3) | WireType.Varint: end = reader.ReadUInt32(); break;
                case (6 << 3) | WireType.Varint: max = reader.ReadUInt32(); break;
                default: reader.SkipUnknownField(tag, Fields(1, 2, 4, 5, 6), "tempopb.SearchTagValuesRequest"); break;
            }
        }
        return new TempoSearchTagValuesRequest { TagName = name, Query = query, StartSeconds = start, EndSeconds = end, MaxTagValues = max };
    }

    /// <summary>QueryRangeRequest: query = 1, start = 2, end = 3, step = 4 (all nanoseconds), exemplars = 16.</summary>
    public static TempoQueryRangeRequest DecodeQueryRangeRequest(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        var query = string.Empty;
        ulong start = 0, end = 0, step = 0;
        uint exemplars = 0;
        while (reader.HasMore)
        {
            var tag = reader.ReadTag();
            switch (tag)
            {
                case (1 << 3) | WireType.LengthDelimited: query = ReadString(reader.ReadLengthDelimited()); break;
                case (2 << 3) | WireType.Varint: start = reader.ReadVarint64(); break;
                case (3 << 3) | WireType.Varint: end = reader.ReadVarint64(); break;
                case (4 << 3) | WireType.Varint: step = reader.ReadVarint64(); break;
                case (16 << 3) | WireType.Varint: exemplars = reader.ReadUInt32(); break;
                default: reader.SkipUnknownField(tag, Fields(1, 2, 3, 4, 16), "tempopb.QueryRangeRequest"); break;
            }
        }
        return new TempoQueryRangeRequest { Query = query, StartUnixNano = start, EndUnixNano = end, StepNanos = step, Exemplars = exemplars };
    }

    // A map<string,string> entry: key = 1, value = 2.
    private static KeyValuePair<string, string> ReadMapEntry(ReadOnlySpan<byte> entry)
    {
        var reader = new ProtobufReader(entry);
        string key = string.Empty, value = string.Empty;
        while (reader.HasMore)
        {
            var tag = reader.ReadTag();
            switch (tag)
            {
                case (1 << 3) | WireType.LengthDelimited: key = ReadString(reader.ReadLengthDelimited()); break;
                case (2 << 3) | WireType.LengthDelimited: value = ReadString(reader.ReadLengthDelimited()); break;
                default: reader.SkipUnknownField(tag, Fields(1, 2), "a Tags map entry"); break;
            }
        }
        return new(key, value);
    }

    private static string ReadString(ReadOnlySpan<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private static uint Fields(params ReadOnlySpan<int> numbers)
    {
        uint mask = 0;
        foreach (var number in numbers)
        {
            if (number < 32) mask |= 1u << number;
        }
        return mask;
    }
}
