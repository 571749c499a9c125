using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Threadline.TestSupport.Otlp;

namespace Threadline.Sdk.Tests.Export;

/// <summary>
/// The OTLP mapping of activities written a second, independent way: into the Google.Protobuf
/// generated messages. Its ToByteArray is what the hand-written serializer must produce.
/// </summary>
internal static class ReferenceOtlp
{
    public static ExportTraceServiceRequest Build(ServiceResource resource, IReadOnlyList<Activity> batch)
    {
        var resourceSpans = new ResourceSpans { Resource = new Resource() };
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Value is not null) resourceSpans.Resource.Attributes.Add(KeyValue(attribute.Key, attribute.Value));
        }

        var scopes = new List<(ActivitySource Source, ScopeSpans Scope)>();
        foreach (var activity in batch)
        {
            var source = activity.Source;
            var entry = scopes.FirstOrDefault(s => s.Source.Name == source.Name && (s.Source.Version ?? "") == (source.Version ?? ""));
            if (entry.Scope is null)
            {
                var scope = new InstrumentationScope { Name = source.Name, Version = source.Version ?? "" };
                foreach (var tag in source.Tags ?? [])
                {
                    if (tag.Value is not null) scope.Attributes.Add(KeyValue(tag.Key, tag.Value));
                }
                entry = (source, new ScopeSpans { Scope = scope, SchemaUrl = source.TelemetrySchemaUrl ?? "" });
                scopes.Add(entry);
                resourceSpans.ScopeSpans.Add(entry.Scope);
            }
            entry.Scope.Spans.Add(Span(activity));
        }

        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    public static Span Span(Activity activity)
    {
        var dropped = DroppedCounts.Get(activity);
        var start = UnixNanos(activity.StartTimeUtc);
        var span = new Span
        {
            TraceId = Id(activity.TraceId.ToHexString()),
            SpanId = Id(activity.SpanId.ToHexString()),
            TraceState = activity.TraceStateString ?? "",
            ParentSpanId = activity.ParentSpanId == default ? ByteString.Empty : Id(activity.ParentSpanId.ToHexString()),
            Flags = (uint)activity.ActivityTraceFlags | 0x100u | (activity.HasRemoteParent ? 0x200u : 0u),
            Name = activity.DisplayName,
            Kind = (Span.Types.SpanKind)((int)activity.Kind + 1),
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + ((ulong)activity.Duration.Ticks * 100),
            DroppedAttributesCount = (uint)(dropped?.Attributes ?? 0),
            DroppedEventsCount = (uint)(dropped?.Events ?? 0),
            DroppedLinksCount = (uint)(dropped?.Links ?? 0),
        };
        foreach (var tag in activity.TagObjects)
        {
            if (tag.Value is not null) span.Attributes.Add(KeyValue(tag.Key, tag.Value));
        }

        var events = dropped?.ExportedEvents ?? activity.Events.ToList();
        for (var i = 0; i < events.Count; i++)
        {
            var e = new Span.Types.Event
            {
                TimeUnixNano = UnixNanos(events[i].Timestamp.UtcDateTime),
                Name = events[i].Name,
                DroppedAttributesCount = (uint)At(dropped?.EventAttributes, i),
            };
            foreach (var tag in events[i].Tags)
            {
                if (tag.Value is not null) e.Attributes.Add(KeyValue(tag.Key, tag.Value));
            }
            span.Events.Add(e);
        }

        var links = dropped?.ExportedLinks ?? activity.Links.ToList();
        for (var i = 0; i < links.Count; i++)
        {
            var context = links[i].Context;
            var link = new Span.Types.Link
            {
                TraceId = Id(context.TraceId.ToHexString()),
                SpanId = Id(context.SpanId.ToHexString()),
                TraceState = context.TraceState ?? "",
                DroppedAttributesCount = (uint)At(dropped?.LinkAttributes, i),
                Flags = (uint)context.TraceFlags | 0x100u | (context.IsRemote ? 0x200u : 0u),
            };
            foreach (var tag in links[i].Tags ?? [])
            {
                if (tag.Value is not null) link.Attributes.Add(KeyValue(tag.Key, tag.Value));
            }
            span.Links.Add(link);
        }

        if (activity.Status != ActivityStatusCode.Unset)
        {
            span.Status = new Status
            {
                Code = (Status.Types.StatusCode)(int)activity.Status,
                Message = activity.Status == ActivityStatusCode.Error ? activity.StatusDescription ?? "" : "",
            };
        }
        return span;
    }

    public static KeyValue KeyValue(string key, object value) => new() { Key = key, Value = AnyValue(value, 0) };

    public static AnyValue AnyValue(object value, int depth) =>
        value switch
        {
            string s => new AnyValue { StringValue = s },
            bool b => new AnyValue { BoolValue = b },
            long or int or short or sbyte or byte or ushort or uint => new AnyValue { IntValue = Convert.ToInt64(value, CultureInfo.InvariantCulture) },
            ulong u when u <= long.MaxValue => new AnyValue { IntValue = (long)u },
            double or float => new AnyValue { DoubleValue = Convert.ToDouble(value, CultureInfo.InvariantCulture) },
            byte[] bytes => new AnyValue { BytesValue = ByteString.CopyFrom(bytes) },
            Array array when depth < 4 => Array(array, depth),
            _ => new AnyValue { StringValue = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" },
        };

    private static AnyValue Array(Array array, int depth)
    {
        var values = new ArrayValue();
        foreach (var element in array) values.Values.Add(element is null ? new AnyValue() : AnyValue(element, depth + 1));
        return new AnyValue { ArrayValue = values };
    }

    public static ByteString Id(string hex) => ByteString.CopyFrom(Convert.FromHexString(hex));

    public static ulong UnixNanos(DateTime utc) => (ulong)(utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static int At(int[]? counts, int index) => counts is not null && index < counts.Length ? counts[index] : 0;
}
