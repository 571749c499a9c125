using System.Diagnostics;
using Threadline.Sdk.Diagnostics;

namespace Threadline.Sdk;

/// <summary>
/// Applies <see cref="SpanLimits"/> to what other libraries put directly on an Activity, bypassing the
/// span helpers. Runs on the thread that starts or ends the span, so the common case (nothing over
/// any limit) is a single allocation-free walk.
/// </summary>
internal static class SpanLimitEnforcer
{
    public static void EnforceAttributes(Activity activity, SpanLimits limits)
    {
        var count = 0;
        var needsTruncation = false;
        if (limits.AttributeValueLengthLimit is null)
        {
            // Counting alone is all the common case needs; this loop runs for every span that ends.
            var tags = activity.EnumerateTagObjects();
            while (tags.MoveNext()) count++;
        }
        else
        {
            foreach (ref readonly var tag in activity.EnumerateTagObjects())
            {
                count++;
                if (!needsTruncation && limits.NeedsTruncation(tag.Value)) needsTruncation = true;
            }
        }
        if (count <= limits.AttributeCountLimit && !needsTruncation) return;
        TrimAttributes(activity, limits, count);
    }

    /// <summary>Everything a span may carry, checked once when it ends.</summary>
    public static void EnforceAtEnd(Activity activity, SpanLimits limits)
    {
        EnforceAttributes(activity, limits);
        // Most spans carry no events and no links: asking for the first one is cheaper than the walks.
        if (activity.EnumerateEvents().MoveNext()) CheckEvents(activity, limits);
        if (activity.EnumerateLinks().MoveNext()) CheckLinks(activity, limits);

        if (SdkEventSource.Log.IsEnabled() && DroppedCounts.Get(activity) is { Any: true } counts)
        {
            // The spec asks for one message per span at most, never one per dropped item.
            SdkEventSource.Log.SpanLimitsApplied(activity.DisplayName, counts.Attributes, counts.Events, counts.Links);
        }
    }

    private static void TrimAttributes(Activity activity, SpanLimits limits, int count)
    {
        // Rare path: copy first, because changing tags while walking them is not supported.
        var tags = new KeyValuePair<string, object?>[count];
        var index = 0;
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            if (index == count) break;
            tags[index++] = tag;
        }

        var dropped = 0;
        for (var i = 0; i < index; i++)
        {
            var (key, value) = tags[i];
            if (i >= limits.AttributeCountLimit)
            {
                activity.SetTag(key, null);
                dropped++;
            }
            else if (limits.NeedsTruncation(value))
            {
                activity.SetTag(key, limits.Truncate(value));
            }
        }
        if (dropped > 0) DroppedCounts.GetOrCreate(activity).Attributes += dropped;
    }

    private static void CheckEvents(Activity activity, SpanLimits limits)
    {
        var count = 0;
        var overLimit = false;
        foreach (ref readonly var activityEvent in activity.EnumerateEvents())
        {
            count++;
            if (!overLimit && TagsOverLimit(activityEvent.EnumerateTagObjects(), limits.AttributePerEventCountLimit, limits)) overLimit = true;
        }
        if (count <= limits.EventCountLimit && !overLimit) return;

        // Rare path: the activity keeps its events, and exporters send this trimmed copy instead.
        var counts = DroppedCounts.GetOrCreate(activity);
        var kept = new List<ActivityEvent>(Math.Min(count, limits.EventCountLimit));
        foreach (var activityEvent in activity.EnumerateEvents())
        {
            if (kept.Count == limits.EventCountLimit) break;
            ActivityTagsCollection? tags = null;
            var dropped = SpanExtensions.AddLimitedTags(ref tags, activityEvent.Tags, limits.AttributePerEventCountLimit, limits);
            if (dropped > 0) counts.EventAttributes = AddAt(counts.EventAttributes, kept.Count, dropped);
            kept.Add(new ActivityEvent(activityEvent.Name, activityEvent.Timestamp, tags));
        }
        counts.Events += count - kept.Count;
        counts.ExportedEvents = kept;
    }

    private static void CheckLinks(Activity activity, SpanLimits limits)
    {
        var count = 0;
        var overLimit = false;
        foreach (ref readonly var link in activity.EnumerateLinks())
        {
            count++;
            if (!overLimit && TagsOverLimit(link.EnumerateTagObjects(), limits.AttributePerLinkCountLimit, limits)) overLimit = true;
        }
        if (count <= limits.LinkCountLimit && !overLimit) return;

        var counts = DroppedCounts.GetOrCreate(activity);
        var kept = new List<ActivityLink>(Math.Min(count, limits.LinkCountLimit));
        foreach (var link in activity.EnumerateLinks())
        {
            if (kept.Count == limits.LinkCountLimit) break;
            ActivityTagsCollection? tags = null;
            var dropped = SpanExtensions.AddLimitedTags(ref tags, link.Tags, limits.AttributePerLinkCountLimit, limits);
            if (dropped > 0) counts.LinkAttributes = AddAt(counts.LinkAttributes, kept.Count, dropped);
            kept.Add(new ActivityLink(link.Context, tags));
        }
        counts.Links += count - kept.Count;
        counts.ExportedLinks = kept;
    }

    private static bool TagsOverLimit(Activity.Enumerator<KeyValuePair<string, object?>> tags, int countLimit, SpanLimits limits)
    {
        var count = 0;
        foreach (ref readonly var tag in tags)
        {
            if (++count > countLimit || limits.NeedsTruncation(tag.Value)) return true;
        }
        return false;
    }

    /// <summary>Adds to the per-item count at <paramref name="index"/>, growing the array as needed.</summary>
    internal static int[] AddAt(int[]? counts, int index, int amount)
    {
        if (counts is null || counts.Length <= index) Array.Resize(ref counts, index + 1);
        counts[index] += amount;
        return counts;
    }
}
