using System.Diagnostics;

namespace Threadline.Sdk;

/// <summary>
/// How much of a span the SDK's limits dropped. Activity has no place for these counts, so the
/// limits processor stores them as a custom property and exporters read them back.
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
