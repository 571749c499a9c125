using System.Text.Json;
using Threadline.Core.Model;

namespace Threadline.Protocol.Jaeger;

/// <summary>
/// Writes a trace in the JSON model the Jaeger UI reads from <c>/api/traces</c>: <c>traceID</c>,
/// <c>spans</c> (ids in hex, <c>startTime</c> and <c>duration</c> in microseconds, typed tags,
/// events as logs, the parent as a <c>CHILD_OF</c> reference and links as <c>FOLLOWS_FROM</c>),
/// <c>processes</c> keyed <c>p1</c>, <c>p2</c>… (one per distinct resource) and <c>warnings</c>.
/// </summary>
public static class JaegerTraceWriter
{
    private const ulong NanosPerMicro = 1_000;

    // A link carrying this attribute keeps the OpenTracing reference type it came from.
    private const string RefTypeAttribute = "opentracing.ref_type";

    /// <summary>Writes one trace object; <paramref name="spans"/> are all of one trace, in the order to show them.</summary>
    /// <exception cref="ArgumentException"><paramref name="spans"/> is empty.</exception>
    public static void WriteTrace(Utf8JsonWriter writer, IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) throw new ArgumentException("A Jaeger trace has at least one span.", nameof(spans));

        var processes = new ProcessTable();
        writer.WriteStartObject();
        writer.WriteString("traceID", JaegerIds.Format(spans[0].TraceId));
        writer.WriteStartArray("spans");
        foreach (var span in spans) WriteSpan(writer, span, processes.KeyOf(span.Resource));
        writer.WriteEndArray();

        writer.WriteStartObject("processes");
        foreach (var (key, resource) in processes.InKeyOrder())
        {
            writer.WriteStartObject(key);
            writer.WriteString("serviceName", resource.ServiceName);
            JaegerTags.WriteProcessTags(writer, resource);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteNull("warnings");
        writer.WriteEndObject();
    }

    private static void WriteSpan(Utf8JsonWriter writer, Span span, string processId)
    {
        writer.WriteStartObject();
        writer.WriteString("traceID", JaegerIds.Format(span.TraceId));
        writer.WriteString("spanID", span.SpanId.ToString());
        writer.WriteString("operationName", span.Name);
        WriteReferences(writer, span);
        writer.WriteNumber("startTime", span.StartTimeUnixNano / NanosPerMicro);
        writer.WriteNumber("duration", span.DurationNanos / NanosPerMicro);
        JaegerTags.WriteSpanTags(writer, span);

        writer.WriteStartArray("logs");
        foreach (var spanEvent in span.Events)
        {
            writer.WriteStartObject();
            writer.WriteNumber("timestamp", spanEvent.TimeUnixNano / NanosPerMicro);
            JaegerTags.WriteLogFields(writer, spanEvent);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteString("processID", processId);
        writer.WriteNull("warnings");
        writer.WriteEndObject();
    }

    // The parent first (the UI takes the first CHILD_OF as the parent), then the links; a link
    // to the parent itself only changes the parent reference's type.
    private static void WriteReferences(Utf8JsonWriter writer, Span span)
    {
        writer.WriteStartArray("references");
        var parentType = "CHILD_OF";
        if (!span.ParentSpanId.IsEmpty)
        {
            foreach (var link in span.Links)
            {
                if (link.TraceId == span.TraceId && link.SpanId == span.ParentSpanId) parentType = RefType(link);
            }
            WriteReference(writer, parentType, span.TraceId, span.ParentSpanId);
        }
        foreach (var link in span.Links)
        {
            if (!span.ParentSpanId.IsEmpty && link.TraceId == span.TraceId && link.SpanId == span.ParentSpanId) continue;
            WriteReference(writer, RefType(link), link.TraceId, link.SpanId);
        }
        writer.WriteEndArray();
    }

    private static void WriteReference(Utf8JsonWriter writer, string refType, TraceId traceId, SpanId spanId)
    {
        writer.WriteStartObject();
        writer.WriteString("refType", refType);
        writer.WriteString("traceID", JaegerIds.Format(traceId));
        writer.WriteString("spanID", spanId.ToString());
        writer.WriteEndObject();
    }

    private static string RefType(SpanLink link)
    {
        foreach (var attribute in link.Attributes)
        {
            if (attribute.Key == RefTypeAttribute && attribute.Value.Type == AttributeType.String && attribute.Value.AsString() == "child_of")
                return "CHILD_OF";
        }
        return "FOLLOWS_FROM";
    }

    /// <summary>
    /// Jaeger's processes: one key per distinct (service name, tags), numbered in order of first
    /// use. Spans decoded together share one Resource object, so a reference check settles most.
    /// </summary>
    private sealed class ProcessTable
    {
        private readonly Dictionary<Resource, string> _byReference = new(ReferenceEqualityComparer.Instance);
        private readonly List<(string Key, Resource Resource)> _distinct = [];

        public string KeyOf(Resource resource)
        {
            if (_byReference.TryGetValue(resource, out var key)) return key;
            foreach (var (existingKey, existing) in _distinct)
            {
                if (SameProcess(existing, resource))
                {
                    _byReference.Add(resource, existingKey);
                    return existingKey;
                }
            }
            key = "p" + (_distinct.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _distinct.Add((key, resource));
            _byReference.Add(resource, key);
            return key;
        }

        // Ordinal key order, as Jaeger's JSON encoder writes a map (p1, p10, p2…).
        public IEnumerable<(string Key, Resource Resource)> InKeyOrder() => _distinct.OrderBy(p => p.Key, StringComparer.Ordinal);

        private static bool SameProcess(Resource a, Resource b) =>
            a.ServiceName == b.ServiceName && a.Attributes.AsSpan().SequenceEqual(b.Attributes);
    }
}
