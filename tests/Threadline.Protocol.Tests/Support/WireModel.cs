using Google.Protobuf;
using Threadline.Core.Model;
using Wire = Threadline.TestSupport.Otlp;

namespace Threadline.Protocol.Tests.Support;

/// <summary>
/// An independent Core ↔ generated-message mapping, written only with the Google.Protobuf API, so
/// that the hand-written codec can be checked against the reference implementation.
/// </summary>
internal static class WireModel
{
    public static Wire.ExportTraceServiceRequest ToWire(IReadOnlyList<Span> spans)
    {
        var request = new Wire.ExportTraceServiceRequest();
        foreach (var byResource in spans.GroupBy(s => s.Resource))
        {
            var resource = byResource.Key;
            var resourceSpans = new Wire.ResourceSpans { SchemaUrl = resource.SchemaUrl };
            if (resource.Attributes.Length > 0 || resource.DroppedAttributesCount > 0)
            {
                resourceSpans.Resource = new Wire.Resource { DroppedAttributesCount = resource.DroppedAttributesCount };
                resourceSpans.Resource.Attributes.AddRange(resource.Attributes.Select(ToWire));
            }
            foreach (var byScope in byResource.GroupBy(s => s.Scope))
            {
                var scope = byScope.Key;
                var scopeSpans = new Wire.ScopeSpans { SchemaUrl = scope.SchemaUrl };
                if (scope.Name.Length > 0 || scope.Version.Length > 0 || scope.Attributes.Length > 0 || scope.DroppedAttributesCount > 0)
                {
                    scopeSpans.Scope = new Wire.InstrumentationScope { Name = scope.Name, Version = scope.Version, DroppedAttributesCount = scope.DroppedAttributesCount };
                    scopeSpans.Scope.Attributes.AddRange(scope.Attributes.Select(ToWire));
                }
                scopeSpans.Spans.AddRange(byScope.Select(ToWire));
                resourceSpans.ScopeSpans.Add(scopeSpans);
            }
            request.ResourceSpans.Add(resourceSpans);
        }
        return request;
    }

    public static Wire.Span ToWire(Span span)
    {
        var wire = new Wire.Span
        {
            TraceId = ByteString.CopyFrom(span.TraceId.ToBytes()),
            SpanId = ByteString.CopyFrom(span.SpanId.ToBytes()),
            ParentSpanId = span.ParentSpanId.IsEmpty ? ByteString.Empty : ByteString.CopyFrom(span.ParentSpanId.ToBytes()),
            TraceState = span.TraceState,
            Flags = span.Flags,
            Name = span.Name,
            Kind = (Wire.Span.Types.SpanKind)span.Kind,
            StartTimeUnixNano = span.StartTimeUnixNano,
            EndTimeUnixNano = span.EndTimeUnixNano,
            DroppedAttributesCount = span.DroppedAttributesCount,
            DroppedEventsCount = span.DroppedEventsCount,
            DroppedLinksCount = span.DroppedLinksCount,
        };
        wire.Attributes.AddRange(span.Attributes.Select(ToWire));
        foreach (var e in span.Events)
        {
            var wireEvent = new Wire.Span.Types.Event { TimeUnixNano = e.TimeUnixNano, Name = e.Name, DroppedAttributesCount = e.DroppedAttributesCount };
            wireEvent.Attributes.AddRange(e.Attributes.Select(ToWire));
            wire.Events.Add(wireEvent);
        }
        foreach (var l in span.Links)
        {
            var wireLink = new Wire.Span.Types.Link
            {
                TraceId = ByteString.CopyFrom(l.TraceId.ToBytes()),
                SpanId = ByteString.CopyFrom(l.SpanId.ToBytes()),
                TraceState = l.TraceState,
                DroppedAttributesCount = l.DroppedAttributesCount,
                Flags = l.Flags,
            };
            wireLink.Attributes.AddRange(l.Attributes.Select(ToWire));
            wire.Links.Add(wireLink);
        }
        if (span.Status.Code != StatusCode.Unset || span.Status.Message.Length > 0)
            wire.Status = new Wire.Status { Code = (Wire.Status.Types.StatusCode)span.Status.Code, Message = span.Status.Message };
        return wire;
    }

    public static Wire.KeyValue ToWire(KeyValue attribute) => new() { Key = attribute.Key, Value = ToWire(attribute.Value) };

    public static Wire.AnyValue ToWire(AttributeValue value)
    {
        var wire = new Wire.AnyValue();
        switch (value.Type)
        {
            case AttributeType.String: wire.StringValue = value.AsString(); break;
            case AttributeType.Bool: wire.BoolValue = value.AsBool(); break;
            case AttributeType.Int: wire.IntValue = value.AsInt(); break;
            case AttributeType.Double: wire.DoubleValue = value.AsDouble(); break;
            case AttributeType.Bytes: wire.BytesValue = ByteString.CopyFrom(value.AsBytes()); break;
            case AttributeType.Array:
                wire.ArrayValue = new Wire.ArrayValue();
                wire.ArrayValue.Values.AddRange(value.AsArray().Select(ToWire));
                break;
            case AttributeType.KeyValueList:
                wire.KvlistValue = new Wire.KeyValueList();
                wire.KvlistValue.Values.AddRange(value.AsKeyValueList().Select(ToWire));
                break;
        }
        return wire;
    }

    public static List<Span> FromWire(Wire.ExportTraceServiceRequest request)
    {
        var spans = new List<Span>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = new Resource(
                resourceSpans.Resource?.Attributes.Select(FromWire).ToArray() ?? [],
                resourceSpans.Resource?.DroppedAttributesCount ?? 0,
                resourceSpans.SchemaUrl);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = new InstrumentationScope(
                    scopeSpans.Scope?.Name ?? "",
                    scopeSpans.Scope?.Version ?? "",
                    scopeSpans.Scope?.Attributes.Select(FromWire).ToArray(),
                    scopeSpans.Scope?.DroppedAttributesCount ?? 0,
                    scopeSpans.SchemaUrl);
                foreach (var s in scopeSpans.Spans)
                {
                    spans.Add(new Span
                    {
                        TraceId = TraceId.FromBytes(s.TraceId.Span),
                        SpanId = SpanId.FromBytes(s.SpanId.Span),
                        ParentSpanId = s.ParentSpanId.IsEmpty ? SpanId.Empty : SpanId.FromBytes(s.ParentSpanId.Span),
                        TraceState = s.TraceState,
                        Flags = s.Flags,
                        Name = s.Name,
                        Kind = (SpanKind)s.Kind,
                        StartTimeUnixNano = s.StartTimeUnixNano,
                        EndTimeUnixNano = s.EndTimeUnixNano,
                        Attributes = s.Attributes.Select(FromWire).ToArray(),
                        DroppedAttributesCount = s.DroppedAttributesCount,
                        Events = s.Events.Select(e => new SpanEvent(e.TimeUnixNano, e.Name, e.Attributes.Select(FromWire).ToArray(), e.DroppedAttributesCount)).ToArray(),
                        DroppedEventsCount = s.DroppedEventsCount,
                        Links = s.Links.Select(l => new SpanLink(TraceId.FromBytes(l.TraceId.Span), SpanId.FromBytes(l.SpanId.Span), l.TraceState, l.Attributes.Select(FromWire).ToArray(), l.DroppedAttributesCount, l.Flags)).ToArray(),
                        DroppedLinksCount = s.DroppedLinksCount,
                        Status = s.Status is null ? SpanStatus.Unset : new SpanStatus((StatusCode)s.Status.Code, s.Status.Message),
                        Resource = resource,
                        Scope = scope,
                    });
                }
            }
        }
        return spans;
    }

    public static KeyValue FromWire(Wire.KeyValue attribute) => new(attribute.Key, attribute.Value is null ? AttributeValue.Empty : FromWire(attribute.Value));

    public static AttributeValue FromWire(Wire.AnyValue value) => value.ValueCase switch
    {
        Wire.AnyValue.ValueOneofCase.StringValue => AttributeValue.FromString(value.StringValue),
        Wire.AnyValue.ValueOneofCase.BoolValue => AttributeValue.FromBool(value.BoolValue),
        Wire.AnyValue.ValueOneofCase.IntValue => AttributeValue.FromInt(value.IntValue),
        Wire.AnyValue.ValueOneofCase.DoubleValue => AttributeValue.FromDouble(value.DoubleValue),
        Wire.AnyValue.ValueOneofCase.BytesValue => AttributeValue.FromBytes(value.BytesValue.ToByteArray()),
        Wire.AnyValue.ValueOneofCase.ArrayValue => AttributeValue.FromArray(value.ArrayValue.Values.Select(FromWire).ToArray()),
        Wire.AnyValue.ValueOneofCase.KvlistValue => AttributeValue.FromKeyValueList(value.KvlistValue.Values.Select(FromWire).ToArray()),
        _ => AttributeValue.Empty,
    };
}
