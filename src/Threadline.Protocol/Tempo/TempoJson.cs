using System.Buffers.Text;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;

namespace Threadline.Protocol.Tempo;

/// <summary>
/// Writes Tempo's messages as Tempo's HTTP API answers them: Go's protobuf-JSON (jsonpb) with
/// lowerCamel names, fields in declaration order, 64-bit integers as strings, enums by name and
/// zero values omitted. Grafana parses some of these strictly, so no field is added.
/// </summary>
public static class TempoJson
{
    /// <summary><c>{"traces":[…],"metrics":{…}}</c>.</summary>
    public static void WriteSearchResponse(Utf8JsonWriter writer, TempoSearchResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        if (response.Traces.Count > 0)
        {
            writer.WriteStartArray("traces");
            foreach (var trace in response.Traces) WriteTrace(writer, trace);
            writer.WriteEndArray();
        }
        WriteSearchMetrics(writer, response.Metrics);
        writer.WriteEndObject();
    }

    /// <summary><c>{"tagNames":[…],"metrics":{}}</c>.</summary>
    public static void WriteSearchTagsResponse(Utf8JsonWriter writer, TempoSearchTagsResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        WriteStrings(writer, "tagNames", response.TagNames);
        WriteEmptyMetadataMetrics(writer);
        writer.WriteEndObject();
    }

    /// <summary><c>{"scopes":[{"name":"span","tags":[…]},…],"metrics":{}}</c>.</summary>
    public static void WriteSearchTagsV2Response(Utf8JsonWriter writer, TempoSearchTagsV2Response response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        if (response.Scopes.Count > 0)
        {
            writer.WriteStartArray("scopes");
            foreach (var scope in response.Scopes)
            {
                writer.WriteStartObject();
                WriteNonEmpty(writer, "name", scope.Name);
                WriteStrings(writer, "tags", scope.Tags);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteEmptyMetadataMetrics(writer);
        writer.WriteEndObject();
    }

    /// <summary><c>{"tagValues":["a",…],"metrics":{}}</c>.</summary>
    public static void WriteSearchTagValuesResponse(Utf8JsonWriter writer, TempoSearchTagValuesResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        WriteStrings(writer, "tagValues", response.TagValues);
        WriteEmptyMetadataMetrics(writer);
        writer.WriteEndObject();
    }

    /// <summary><c>{"tagValues":[{"type":"string","value":"a"},…],"metrics":{}}</c>.</summary>
    public static void WriteSearchTagValuesV2Response(Utf8JsonWriter writer, TempoSearchTagValuesV2Response response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        if (response.TagValues.Count > 0)
        {
            writer.WriteStartArray("tagValues");
            foreach (var value in response.TagValues)
            {
                writer.WriteStartObject();
                WriteNonEmpty(writer, "type", value.Type);
                WriteNonEmpty(writer, "value", value.Value);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteEmptyMetadataMetrics(writer);
        writer.WriteEndObject();
    }

    /// <summary><c>{"series":[{"labels":[…],"samples":[{"timestampMs":"…","value":…}],"promLabels":"…"}],"metrics":{…}}</c>.</summary>
    public static void WriteQueryRangeResponse(Utf8JsonWriter writer, TempoQueryRangeResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        if (response.Series.Count > 0)
        {
            writer.WriteStartArray("series");
            foreach (var series in response.Series)
            {
                writer.WriteStartObject();
                WriteKeyValues(writer, "labels", series.Labels);
                if (series.Samples.Count > 0)
                {
                    writer.WriteStartArray("samples");
                    foreach (var sample in series.Samples)
                    {
                        writer.WriteStartObject();
                        WriteInt64(writer, "timestampMs", sample.TimestampMs);
                        WriteDouble(writer, "value", sample.Value);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                WriteNonEmpty(writer, "promLabels", series.PromLabels);
                if (series.Exemplars.Count > 0)
                {
                    writer.WriteStartArray("exemplars");
                    foreach (var exemplar in series.Exemplars)
                    {
                        writer.WriteStartObject();
                        WriteKeyValues(writer, "labels", exemplar.Labels);
                        WriteDouble(writer, "value", exemplar.Value);
                        WriteInt64(writer, "timestampMs", exemplar.TimestampMs);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteSearchMetrics(writer, response.Metrics);
        writer.WriteEndObject();
    }

    /// <summary><c>{"series":[{"labels":[…],"value":…,"promLabels":"…"}],"metrics":{…}}</c>.</summary>
    public static void WriteQueryInstantResponse(Utf8JsonWriter writer, TempoQueryInstantResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        if (response.Series.Count > 0)
        {
            writer.WriteStartArray("series");
            foreach (var series in response.Series)
            {
                writer.WriteStartObject();
                WriteKeyValues(writer, "labels", series.Labels);
                WriteDouble(writer, "value", series.Value);
                WriteNonEmpty(writer, "promLabels", series.PromLabels);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteSearchMetrics(writer, response.Metrics);
        writer.WriteEndObject();
    }

    private static void WriteTrace(Utf8JsonWriter writer, TempoTraceSearchMetadata trace)
    {
        writer.WriteStartObject();
        writer.WriteString("traceID", TempoTraceIds.Format(trace.TraceId));
        WriteNonEmpty(writer, "rootServiceName", trace.RootServiceName);
        WriteNonEmpty(writer, "rootTraceName", trace.RootTraceName);
        WriteUInt64(writer, "startTimeUnixNano", trace.StartTimeUnixNano);
        if (trace.DurationMs != 0) writer.WriteNumber("durationMs", trace.DurationMs);
        if (trace.SpanSets.Count > 0)
        {
            writer.WritePropertyName("spanSet");
            WriteSpanSet(writer, trace.SpanSets[0]);
            writer.WriteStartArray("spanSets");
            foreach (var spanSet in trace.SpanSets) WriteSpanSet(writer, spanSet);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteSpanSet(Utf8JsonWriter writer, TempoSpanSet spanSet)
    {
        writer.WriteStartObject();
        if (spanSet.Spans.Count > 0)
        {
            writer.WriteStartArray("spans");
            foreach (var span in spanSet.Spans)
            {
                writer.WriteStartObject();
                writer.WriteString("spanID", span.SpanId.ToString());
                WriteNonEmpty(writer, "name", span.Name);
                WriteUInt64(writer, "startTimeUnixNano", span.StartTimeUnixNano);
                WriteUInt64(writer, "durationNanos", span.DurationNanos);
                WriteKeyValues(writer, "attributes", span.Attributes);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (spanSet.Matched != 0) writer.WriteNumber("matched", spanSet.Matched);
        WriteKeyValues(writer, "attributes", spanSet.Attributes);
        writer.WriteEndObject();
    }

    private static void WriteSearchMetrics(Utf8JsonWriter writer, TempoSearchMetrics metrics)
    {
        writer.WriteStartObject("metrics");
        if (metrics.InspectedTraces != 0) writer.WriteNumber("inspectedTraces", metrics.InspectedTraces);
        WriteUInt64(writer, "inspectedBytes", metrics.InspectedBytes);
        if (metrics.TotalBlocks != 0) writer.WriteNumber("totalBlocks", metrics.TotalBlocks);
        if (metrics.CompletedJobs != 0) writer.WriteNumber("completedJobs", metrics.CompletedJobs);
        if (metrics.TotalJobs != 0) writer.WriteNumber("totalJobs", metrics.TotalJobs);
        WriteUInt64(writer, "totalBlockBytes", metrics.TotalBlockBytes);
        WriteUInt64(writer, "inspectedSpans", metrics.InspectedSpans);
        writer.WriteEndObject();
    }

    // Nothing here reads blocks or runs jobs, so every MetadataMetrics field is zero and omitted.
    private static void WriteEmptyMetadataMetrics(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("metrics");
        writer.WriteEndObject();
    }

    private static void WriteKeyValues(Utf8JsonWriter writer, string name, IReadOnlyList<KeyValue> values)
    {
        if (values.Count == 0) return;
        writer.WriteStartArray(name);
        foreach (var value in values) OtlpJsonEncoder.WriteKeyValue(writer, value);
        writer.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static void WriteNonEmpty(Utf8JsonWriter writer, string name, string value)
    {
        if (value.Length > 0) writer.WriteString(name, value);
    }

    private static void WriteUInt64(Utf8JsonWriter writer, string name, ulong value)
    {
        if (value == 0) return;
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        writer.WriteString(name, digits[..written]);
    }

    private static void WriteInt64(Utf8JsonWriter writer, string name, long value)
    {
        if (value == 0) return;
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        writer.WriteString(name, digits[..written]);
    }

    // jsonpb writes the non-finite doubles as the strings "NaN", "Infinity" and "-Infinity".
    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (value == 0) return; // -0 too: jsonpb compares with 0
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
