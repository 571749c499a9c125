using Threadline.Core.Model;

namespace Threadline.Pipeline.Limits;

/// <summary>
/// A cheap estimate of what a span costs to keep, for <see cref="SpanLimitsOptions.MaxBytesPerTrace"/>:
/// characters of text, bytes of binary values, 8 bytes per number and a fixed overhead per span,
/// event and link. Exact for ASCII text; the resource is shared by the batch and not counted.
/// </summary>
internal static class SpanSize
{
    private const long SpanOverhead = 64;
    private const long ItemOverhead = 24;

    public static long Estimate(Span span)
    {
        var size = SpanOverhead + span.Name.Length + span.TraceState.Length + span.Status.Message.Length + Of(span.Attributes);
        foreach (var item in span.Events) size += ItemOverhead + item.Name.Length + Of(item.Attributes);
        foreach (var item in span.Links) size += ItemOverhead + item.TraceState.Length + Of(item.Attributes);
        return size;
    }

    private static long Of(KeyValue[] attributes)
    {
        long size = 0;
        foreach (var attribute in attributes) size += attribute.Key.Length + Of(attribute.Value);
        return size;
    }

    private static long Of(AttributeValue value)
    {
        switch (value.Type)
        {
            case AttributeType.String: return value.AsString().Length;
            case AttributeType.Bytes: return value.AsBytes().Length;
            case AttributeType.Array:
                long size = 0;
                foreach (var item in value.AsArray()) size += Of(item);
                return size;
            case AttributeType.KeyValueList: return Of(value.AsKeyValueList());
            default: return 8;
        }
    }
}
