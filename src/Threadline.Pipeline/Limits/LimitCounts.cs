namespace Threadline.Pipeline.Limits;

/// <summary>What <see cref="SpanLimiter"/> cut from a batch, by kind, for the limits counters.</summary>
internal sealed class LimitCounts
{
    public long AttributeValuesTruncated;
    public long AttributeKeysTruncated;
    public long NamesTruncated;
    public long SpanAttributesDropped;
    public long ResourceAttributesDropped;
    public long EventsDropped;
    public long LinksDropped;
    public long EventAttributesDropped;
    public long LinkAttributesDropped;
}
