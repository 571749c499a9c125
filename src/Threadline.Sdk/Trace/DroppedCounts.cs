using System.Diagnostics;

namespace Threadline.Sdk;

/// <summary>
/// How much of a span the SDK's limits dropped, and the corrected events and links when the SDK had to
/// change them. Activity has no place for either, so the SDK stores this as a custom property on the
/// activity and exporters read it back: counts for the dropped_*_count fields, and
/// <see cref="EventsToExport"/> / <see cref="LinksToExport"/> for what to send.
/// </summary>
public sealed class DroppedCounts
{
    private const string PropertyName = "threadline.dropped";

    public int Attributes { get; set; }
    public int Events { get; set; }
    public int Links { get; set; }

    /// <summary>Counts of attributes dropped per event, by event index; null when none were.</summary>
    public int[]? EventAttributes { get; set; }

    /// <summary>Counts of attributes dropped per link, by link index; null when none were.</summary>
    public int[]? LinkAttributes { get; set; }

    /// <summary>
    /// When not null, the events to export instead of the activity's own. <see cref="Activity"/> cannot
    /// remove or change an event once it is added, so when the SDK must trim events another library added
    /// directly (over <see cref="SpanLimits.EventCountLimit"/>, too many or too long attributes) or scrub
    /// them (<see cref="Processing.RedactionProcessor"/>), it puts the corrected list here. Exporters use
    /// this list when it is set.
    /// </summary>
    public IReadOnlyList<ActivityEvent>? ExportedEvents { get; set; }

    /// <summary>When not null, the links to export instead of the activity's own; see <see cref="ExportedEvents"/>.</summary>
    public IReadOnlyList<ActivityLink>? ExportedLinks { get; set; }

    /// <summary>True when anything at all was dropped from the span.</summary>
    public bool Any => Attributes > 0 || Events > 0 || Links > 0 || EventAttributes is not null || LinkAttributes is not null;

    /// <summary>The events an exporter should send: <see cref="ExportedEvents"/> when the SDK replaced them, else the activity's own.</summary>
    public static IEnumerable<ActivityEvent> EventsToExport(Activity activity) =>
        Get(activity)?.ExportedEvents ?? activity.Events;

    /// <summary>The links an exporter should send: <see cref="ExportedLinks"/> when the SDK replaced them, else the activity's own.</summary>
    public static IEnumerable<ActivityLink> LinksToExport(Activity activity) =>
        Get(activity)?.ExportedLinks ?? activity.Links;

    /// <summary>The counts recorded on the activity, or null when nothing was dropped.</summary>
    public static DroppedCounts? Get(Activity activity) => activity.GetCustomProperty(PropertyName) as DroppedCounts;

    /// <summary>The counts recorded on the activity, created on first use.</summary>
    public static DroppedCounts GetOrCreate(Activity activity)
    {
        if (activity.GetCustomProperty(PropertyName) is DroppedCounts counts) return counts;
        counts = new DroppedCounts();
        activity.SetCustomProperty(PropertyName, counts);
        return counts;
    }
}
