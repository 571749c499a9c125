using Threadline.Core.Model;

namespace Threadline.Pipeline.Limits;

/// <summary>
/// Applies <see cref="SpanLimitsOptions"/> to one span. A span within every limit is returned as
/// it is, without allocating; otherwise a copy with values truncated, surplus items dropped and
/// the span's dropped counts raised accordingly.
/// </summary>
internal sealed class SpanLimiter
{
    private readonly int _maxAttributes;
    private readonly int _maxValueBytes;
    private readonly int _maxEvents;
    private readonly int _maxLinks;
    private readonly int _maxItemAttributes;

    public SpanLimiter(SpanLimitsOptions options)
    {
        _maxAttributes = options.MaxAttributesPerSpan;
        _maxValueBytes = options.MaxAttributeValueBytes;
        _maxEvents = options.MaxEventsPerSpan;
        _maxLinks = options.MaxLinksPerSpan;
        _maxItemAttributes = options.MaxAttributesPerEventOrLink;
    }

    /// <summary>
    /// <paramref name="span"/> within the limits. <paramref name="resources"/> maps each resource
    /// of the batch to its limited form, so spans sharing a resource keep sharing one.
    /// </summary>
    public Span Apply(Span span, LimitCounts counts, Dictionary<Resource, Resource> resources)
    {
        var name = LimitName(span.Name, counts);
        var attributes = LimitAttributes(span.Attributes, _maxAttributes, counts, out var droppedAttributes);
        counts.SpanAttributesDropped += droppedAttributes;
        var events = LimitEvents(span.Events, counts, out var droppedEvents);
        var links = LimitLinks(span.Links, counts, out var droppedLinks);
        var resource = LimitResource(span.Resource, counts, resources);

        if (ReferenceEquals(name, span.Name) && ReferenceEquals(attributes, span.Attributes) && ReferenceEquals(events, span.Events)
            && ReferenceEquals(links, span.Links) && ReferenceEquals(resource, span.Resource))
        {
            return span;
        }
        return new Span
        {
            TraceId = span.TraceId,
            SpanId = span.SpanId,
            ParentSpanId = span.ParentSpanId,
            TraceState = span.TraceState,
            Flags = span.Flags,
            Name = name,
            Kind = span.Kind,
            StartTimeUnixNano = span.StartTimeUnixNano,
            EndTimeUnixNano = span.EndTimeUnixNano,
            Attributes = attributes,
            DroppedAttributesCount = Saturate(span.DroppedAttributesCount, droppedAttributes),
            Events = events,
            DroppedEventsCount = Saturate(span.DroppedEventsCount, droppedEvents),
            Links = links,
            DroppedLinksCount = Saturate(span.DroppedLinksCount, droppedLinks),
            Status = span.Status,
            Resource = resource,
            Scope = span.Scope,
        };
    }

    private Resource LimitResource(Resource resource, LimitCounts counts, Dictionary<Resource, Resource> resources)
    {
        if (resources.TryGetValue(resource, out var limited)) return limited;
        var attributes = LimitAttributes(resource.Attributes, _maxAttributes, counts, out var dropped);
        counts.ResourceAttributesDropped += dropped;
        limited = ReferenceEquals(attributes, resource.Attributes)
            ? resource
            : new Resource(attributes, Saturate(resource.DroppedAttributesCount, dropped), resource.SchemaUrl);
        resources.Add(resource, limited);
        return limited;
    }

    private SpanEvent[] LimitEvents(SpanEvent[] events, LimitCounts counts, out long dropped)
    {
        dropped = Math.Max(0, events.Length - _maxEvents);
        counts.EventsDropped += dropped;
        var kept = events.Length - (int)dropped;
        SpanEvent[]? limited = dropped > 0 ? new SpanEvent[kept] : null;
        for (var i = 0; i < kept; i++)
        {
            var item = events[i];
            var name = LimitName(item.Name, counts);
            var attributes = LimitAttributes(item.Attributes, _maxItemAttributes, counts, out var droppedAttributes);
            counts.EventAttributesDropped += droppedAttributes;
            if (!ReferenceEquals(name, item.Name) || !ReferenceEquals(attributes, item.Attributes))
            {
                limited ??= events[..kept];
                item = item with { Name = name, Attributes = attributes, DroppedAttributesCount = Saturate(item.DroppedAttributesCount, droppedAttributes) };
            }
            if (limited is not null) limited[i] = item;
        }
        return limited ?? events;
    }

    private SpanLink[] LimitLinks(SpanLink[] links, LimitCounts counts, out long dropped)
    {
        dropped = Math.Max(0, links.Length - _maxLinks);
        counts.LinksDropped += dropped;
        var kept = links.Length - (int)dropped;
        SpanLink[]? limited = dropped > 0 ? new SpanLink[kept] : null;
        for (var i = 0; i < kept; i++)
        {
            var item = links[i];
            var attributes = LimitAttributes(item.Attributes, _maxItemAttributes, counts, out var droppedAttributes);
            counts.LinkAttributesDropped += droppedAttributes;
            if (!ReferenceEquals(attributes, item.Attributes))
            {
                limited ??= links[..kept];
                item = item with { Attributes = attributes, DroppedAttributesCount = Saturate(item.DroppedAttributesCount, droppedAttributes) };
            }
            if (limited is not null) limited[i] = item;
        }
        return limited ?? links;
    }

    /// <summary>The first <paramref name="maxCount"/> attributes with keys and values cut to size; the same array when nothing was cut.</summary>
    private KeyValue[] LimitAttributes(KeyValue[] attributes, int maxCount, LimitCounts counts, out long dropped)
    {
        dropped = Math.Max(0, attributes.Length - maxCount);
        var kept = attributes.Length - (int)dropped;
        KeyValue[]? limited = dropped > 0 ? new KeyValue[kept] : null;
        for (var i = 0; i < kept; i++)
        {
            var attribute = attributes[i];
            var key = attribute.Key;
            if (Utf8Truncation.IsOver(key, _maxValueBytes))
            {
                key = Utf8Truncation.Truncate(key, _maxValueBytes);
                counts.AttributeKeysTruncated++;
            }
            if (LimitValue(attribute.Value, counts, out var value) || !ReferenceEquals(key, attribute.Key))
            {
                limited ??= attributes[..kept];
                attribute = new KeyValue(key, value);
            }
            if (limited is not null) limited[i] = attribute;
        }
        return limited ?? attributes;
    }

    /// <summary>True, with the cut value, when <paramref name="value"/> (or a value inside it) was over the byte limit.</summary>
    private bool LimitValue(AttributeValue value, LimitCounts counts, out AttributeValue limited)
    {
        limited = value;
        switch (value.Type)
        {
            case AttributeType.String when Utf8Truncation.IsOver(value.AsString(), _maxValueBytes):
                limited = AttributeValue.FromString(Utf8Truncation.Truncate(value.AsString(), _maxValueBytes));
                counts.AttributeValuesTruncated++;
                return true;
            case AttributeType.Bytes when value.AsBytes().Length > _maxValueBytes:
                limited = AttributeValue.FromBytes(value.AsBytes()[.._maxValueBytes]);
                counts.AttributeValuesTruncated++;
                return true;
            case AttributeType.Array:
            {
                var items = value.AsArray();
                AttributeValue[]? cut = null;
                for (var i = 0; i < items.Length; i++)
                {
                    if (!LimitValue(items[i], counts, out var item)) continue;
                    cut ??= (AttributeValue[])items.Clone();
                    cut[i] = item;
                }
                if (cut is null) return false;
                limited = AttributeValue.FromArray(cut);
                return true;
            }
            case AttributeType.KeyValueList:
            {
                var list = value.AsKeyValueList();
                var cut = LimitAttributes(list, int.MaxValue, counts, out _);
                if (ReferenceEquals(cut, list)) return false;
                limited = AttributeValue.FromKeyValueList(cut);
                return true;
            }
            default:
                return false;
        }
    }

    private string LimitName(string name, LimitCounts counts)
    {
        if (!Utf8Truncation.IsOver(name, _maxValueBytes)) return name;
        counts.NamesTruncated++;
        return Utf8Truncation.Truncate(name, _maxValueBytes);
    }

    private static uint Saturate(uint count, long more) => (uint)Math.Min(uint.MaxValue, count + more);
}
