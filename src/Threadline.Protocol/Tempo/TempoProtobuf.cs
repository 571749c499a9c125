using Threadline.Core.Model;
using Threadline.Protobuf;
using Threadline.Protocol.Otlp;

namespace Threadline.Protocol.Tempo;

/// <summary>
/// Encodes Tempo's messages in protobuf, field numbers as in Tempo 2.7's <c>pkg/tempopb/tempo.proto</c>:
/// the gRPC StreamingQuerier's answers and the HTTP API's answers for <c>Accept: application/protobuf</c>.
/// </summary>
public static class TempoProtobuf
{
    /// <summary>tempopb.SearchResponse: traces = 1, metrics = 2.</summary>
    public static byte[] EncodeSearchResponse(TempoSearchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var writer = new ProtobufWriter(256 + response.Traces.Count * 256);
        foreach (var trace in response.Traces)
        {
            var message = writer.BeginMessage(1);
            WriteTrace(writer, trace);
            writer.EndMessage(message);
        }
        WriteSearchMetrics(writer, 2, response.Metrics);
        return writer.ToArray();
    }

    /// <summary>tempopb.SearchTagsResponse: tagNames = 1, metrics = 2.</summary>
    public static byte[] EncodeSearchTagsResponse(TempoSearchTagsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var writer = new ProtobufWriter(256);
        foreach (var name in response.TagNames) writer.WriteStringAlways(1, name);
        WriteEmptyMessage(writer, 2);
        return writer.ToArray();
    }

    /// <summary>tempopb.SearchTagsV2Response: scopes = 1 (name = 1, tags = 2), metrics = 2.</summary>
    public static byte[] EncodeSearchTagsV2Response(TempoSearchTagsV2Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var writer = new ProtobufWriter(256);
        foreach (var scope in response.Scopes)
        {
            var message = writer.BeginMessage(1);
            writer.WriteString(1, scope.Name);
            foreach (var tag in scope.Tags) writer.WriteStringAlways(2, tag);
            writer.EndMessage(message);
        }
        WriteEmptyMessage(writer, 2);
        return writer.ToArray();
    }

    /// <summary>tempopb.SearchTagValuesResponse: tagValues = 1, metrics = 2.</summary>
    public static byte[] EncodeSearchTagValuesResponse(TempoSearchTagValuesResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var writer = new ProtobufWriter(256);
        foreach (var value in response.TagValues) writer.WriteStringAlways(1, value);
        WriteEmptyMessage(writer, 2);
        return writer.ToArray();
    }

    /// <summary>tempopb.SearchTagValuesV2Response: tagValues = 1 (type = 1, value = 2), metrics = 2.</summary>
    public static byte[] EncodeSearchTagValuesV2Response(TempoSearchTagValuesV2Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var writer = new ProtobufWriter(256);
        foreach (var value in response.TagValues)
        {
            var message = writer.BeginMessage(1);
            writer.WriteString(1, value.Type);
            writer.WriteString(2, value.Value);
            writer.EndMessage(message);
        }
        WriteEmptyMessage(writer, 2);
        return writer.ToArray();
    }

    /// <summary>
    /// tempopb.QueryRangeResponse: series = 1, metrics = 2; TimeSeries: labels = 1, samples = 2,
    /// prom_labels = 3, exemplars = 4; Sample: value = 1, timestamp_ms = 2; Exemplar: labels = 1,
    /// value = 2, timestamp_ms = 3.
    /// </summary>
    public static byte[] EncodeQueryRangeResponse(TempoQueryRangeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var writer = new ProtobufWriter(256);
        foreach (var series in response.Series)
        {
            var message = writer.BeginMessage(1);
            WriteKeyValues(writer, 1, series.Labels);
            foreach (var sample in series.Samples)
            {
                var sampleMessage = writer.BeginMessage(2);
                WriteDouble(writer, 1, sample.Value);
                WriteInt64(writer, 2, sample.TimestampMs);
                writer.EndMessage(sampleMessage);
            }
            writer.WriteString(3, series.PromLabels);
            foreach (var exemplar in series.Exemplars)
            {
                var exemplarMessage = writer.BeginMessage(4);
                WriteKeyValues(writer, 1, exemplar.Labels);
                WriteDouble(writer, 2, exemplar.Value);
                WriteInt64(writer, 3, exemplar.TimestampMs);
                writer.EndMessage(exemplarMessage);
            }
            writer.EndMessage(message);
        }
        WriteSearchMetrics(writer, 2, response.Metrics);
        return writer.ToArray();
    }

    /// <summary>tempopb.QueryInstantResponse: series = 1 (labels = 1, value = 2, prom_labels = 3), metrics = 2.</summary>
    public static byte[] EncodeQueryInstantResponse(TempoQueryInstantResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var writer = new ProtobufWriter(256);
        foreach (var series in response.Series)
        {
            var message = writer.BeginMessage(1);
            WriteKeyValues(writer, 1, series.Labels);
            WriteDouble(writer, 2, series.Value);
            writer.WriteString(3, series.PromLabels);
            writer.EndMessage(message);
        }
        WriteSearchMetrics(writer, 2, response.Metrics);
        return writer.ToArray();
    }

    // TraceSearchMetadata: traceID = 1, rootServiceName = 2, rootTraceName = 3, startTimeUnixNano = 4,
    // durationMs = 5, spanSet = 6 (deprecated, the first of spanSets), spanSets = 7.
    private static void WriteTrace(ProtobufWriter writer, TempoTraceSearchMetadata trace)
    {
        writer.WriteString(1, TempoTraceIds.Format(trace.TraceId));
        writer.WriteString(2, trace.RootServiceName);
        writer.WriteString(3, trace.RootTraceName);
        WriteUInt64(writer, 4, trace.StartTimeUnixNano);
        writer.WriteUInt32(5, trace.DurationMs);
        if (trace.SpanSets.Count > 0) WriteSpanSet(writer, 6, trace.SpanSets[0]);
        foreach (var spanSet in trace.SpanSets) WriteSpanSet(writer, 7, spanSet);
    }

    // SpanSet: spans = 1, matched = 2, attributes = 3; Span: spanID = 1, name = 2,
    // startTimeUnixNano = 3, durationNanos = 4, attributes = 5.
    private static void WriteSpanSet(ProtobufWriter writer, int field, TempoSpanSet spanSet)
    {
        var message = writer.BeginMessage(field);
        foreach (var span in spanSet.Spans)
        {
            var spanMessage = writer.BeginMessage(1);
            writer.WriteString(1, span.SpanId.ToString());
            writer.WriteString(2, span.Name);
            WriteUInt64(writer, 3, span.StartTimeUnixNano);
            WriteUInt64(writer, 4, span.DurationNanos);
            WriteKeyValues(writer, 5, span.Attributes);
            writer.EndMessage(spanMessage);
        }
        writer.WriteUInt32(2, spanSet.Matched);
        WriteKeyValues(writer, 3, spanSet.Attributes);
        writer.EndMessage(message);
    }

    // SearchMetrics: inspectedTraces = 1, inspectedBytes = 2, totalBlocks = 3, completedJobs = 4,
    // totalJobs = 5, totalBlockBytes = 6, inspectedSpans = 7. Tempo always sets the message.
    private static void WriteSearchMetrics(ProtobufWriter writer, int field, TempoSearchMetrics metrics)
    {
        var message = writer.BeginMessage(field);
        writer.WriteUInt32(1, metrics.InspectedTraces);
        WriteUInt64(writer, 2, metrics.InspectedBytes);
        writer.WriteUInt32(3, metrics.TotalBlocks);
        writer.WriteUInt32(4, metrics.CompletedJobs);
        writer.WriteUInt32(5, metrics.TotalJobs);
        WriteUInt64(writer, 6, metrics.TotalBlockBytes);
        WriteUInt64(writer, 7, metrics.InspectedSpans);
        writer.EndMessage(message);
    }

    private static void WriteEmptyMessage(ProtobufWriter writer, int field) => writer.EndMessage(writer.BeginMessage(field));

    private static void WriteKeyValues(ProtobufWriter writer, int field, IReadOnlyList<KeyValue> values)
    {
        foreach (var value in values) OtlpProtobufEncoder.WriteKeyValue(writer, field, value);
    }

    private static void WriteUInt64(ProtobufWriter writer, int field, ulong value)
    {
        if (value == 0) return;
        writer.WriteTag(field, WireType.Varint);
        writer.WriteVarint(value);
    }

    // int64 is a varint of the two's complement, so a negative value takes ten bytes, as protobuf says.
    private static void WriteInt64(ProtobufWriter writer, int field, long value)
    {
        if (value == 0) return;
        writer.WriteTag(field, WireType.Varint);
        writer.WriteVarint(unchecked((ulong)value));
    }

    private static void WriteDouble(ProtobufWriter writer, int field, double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        if (bits == 0) return;
        writer.WriteTag(field, WireType.Fixed64);
        writer.WriteFixed64Value(bits);
    }
}
