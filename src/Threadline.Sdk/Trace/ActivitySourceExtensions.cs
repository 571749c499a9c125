using System.Diagnostics;

namespace Threadline.Sdk;

/// <summary>Starting spans from an <see cref="ActivitySource"/>.</summary>
public static class ActivitySourceExtensions
{
    /// <summary>
    /// Starts a span and makes it <see cref="Activity.Current"/> until it is disposed. Returns null when
    /// nothing listens to the source (tracing not started or the source not added); the span helpers in
    /// <see cref="SpanExtensions"/> accept null, so the result can be used without checks. Dispose it
    /// (with <c>using</c>) to end it.
    /// </summary>
    /// <param name="source">The instrumentation's source, e.g. <c>new ActivitySource("MyCompany.Checkout")</c>.</param>
    /// <param name="name">A low-cardinality operation name: "GET /orders/{id}", not "GET /orders/42".</param>
    /// <param name="kind">The span's role: Server for incoming calls, Client for outgoing ones, and so on.</param>
    /// <param name="attributes">Attributes known at start; the sampler sees them.</param>
    /// <param name="links">Links to related spans, e.g. the messages of a batch. Over-limit links and link attributes are dropped and counted.</param>
    /// <param name="parent">An explicit parent (e.g. extracted from a request); default means <see cref="Activity.Current"/>.</param>
    /// <param name="startTime">When the operation started; default means now.</param>
    public static Activity? StartSpan(
        this ActivitySource source,
        string name,
        ActivityKind kind = ActivityKind.Internal,
        IEnumerable<KeyValuePair<string, object?>>? attributes = null,
        IEnumerable<ActivityLink>? links = null,
        ActivityContext parent = default,
        DateTimeOffset startTime = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.HasListeners()) return null;

        LinkTrim trim = default;
        if (links is not null) links = LimitLinks(links, SpanLimitsRegistry.For(source), out trim);

        var span = source.StartActivity(name, kind, parent, attributes, links, startTime);
        if (span is not null && span.IsAllDataRequested && trim.Any)
        {
            var counts = DroppedCounts.GetOrCreate(span);
            counts.Links += trim.DroppedLinks;
            if (trim.DroppedAttributes is { } perLink)
            {
                for (var i = 0; i < perLink.Length; i++)
                {
                    if (perLink[i] > 0) counts.LinkAttributes = SpanLimitEnforcer.AddAt(counts.LinkAttributes, i, perLink[i]);
                }
            }
        }
        return span;
    }

    private static IEnumerable<ActivityLink> LimitLinks(IEnumerable<ActivityLink> links, SpanLimits limits, out LinkTrim trim)
    {
        trim = default;
        var total = 0;
        var needsWork = false;
        foreach (var link in links)
        {
            total++;
            if (needsWork) continue;
            var attributes = 0;
            foreach (ref readonly var tag in link.EnumerateTagObjects())
            {
                attributes++;
                if (limits.NeedsTruncation(tag.Value)) needsWork = true;
            }
            if (attributes > limits.AttributePerLinkCountLimit) needsWork = true;
        }
        if (total <= limits.LinkCountLimit && !needsWork) return links;

        var kept = new List<ActivityLink>(Math.Min(total, limits.LinkCountLimit));
        int[]? droppedAttributes = null;
        foreach (var link in links)
        {
            if (kept.Count == limits.LinkCountLimit) break;
            ActivityTagsCollection? tags = null;
            var dropped = SpanExtensions.AddLimitedTags(ref tags, link.Tags, limits.AttributePerLinkCountLimit, limits);
            if (dropped > 0) droppedAttributes = SpanLimitEnforcer.AddAt(droppedAttributes, kept.Count, dropped);
            kept.Add(new ActivityLink(link.Context, tags));
        }
        trim = new LinkTrim(total - kept.Count, droppedAttributes);
        return kept;
    }

    private readonly record struct LinkTrim(int DroppedLinks, int[]? DroppedAttributes)
    {
        public bool Any => DroppedLinks > 0 || DroppedAttributes is not null;
    }
}
