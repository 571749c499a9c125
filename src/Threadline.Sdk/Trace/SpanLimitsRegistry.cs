using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Threadline.Sdk;

/// <summary>
/// Which limits apply to spans of a source. The span helpers are extension methods on Activity with no
/// reference to a tracing session, and a per-span custom property would cost an allocation per span, so
/// the limits are found through the span's source instead.
/// </summary>
internal static class SpanLimitsRegistry
{
    private static readonly ConditionalWeakTable<ActivitySource, SpanLimits> BySource = new();
    private static readonly object Sync = new();
    private static readonly Dictionary<SpanLimits, int> Registrations = new(ReferenceEqualityComparer.Instance);

    // With a single tracing session (nearly every process) every traced source shares one limits object:
    // the helpers then skip the table lookup, which they would otherwise pay on every attribute.
    private static volatile SpanLimits? s_only;

    public static SpanLimits For(ActivitySource source)
    {
        if (s_only is { } only) return only;
        return BySource.TryGetValue(source, out var limits) ? limits : SpanLimits.Default;
    }

    /// <summary>
    /// Registers the session's limits for a source it listens to. When two sessions listen to one source,
    /// the first one's limits apply in the helpers; each session still enforces its own at span end.
    /// </summary>
    public static bool TryRegister(ActivitySource source, SpanLimits limits)
    {
        lock (Sync)
        {
            if (!BySource.TryAdd(source, limits)) return false;
            Registrations[limits] = Registrations.GetValueOrDefault(limits) + 1;
            UpdateOnly();
            return true;
        }
    }

    public static void Unregister(ActivitySource source, SpanLimits limits)
    {
        lock (Sync)
        {
            if (!BySource.TryGetValue(source, out var current) || !ReferenceEquals(current, limits)) return;
            BySource.Remove(source);
            var remaining = Registrations[limits] - 1;
            if (remaining == 0) Registrations.Remove(limits);
            else Registrations[limits] = remaining;
            UpdateOnly();
        }
    }

    private static void UpdateOnly()
    {
        SpanLimits? only = null;
        if (Registrations.Count == 1)
        {
            foreach (var limits in Registrations.Keys) only = limits;
        }
        s_only = only;
    }
}
