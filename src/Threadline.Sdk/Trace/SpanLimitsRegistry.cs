using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Threadline.Sdk;

/// <summary>
/// Which limits apply to spans of a source. The span helpers are extension methods on Activity with no
/// reference to a tracing session, and a per-span custom property would cost an allocation per span, so
/// the limits are found through the span's source instead. This runs for every attribute set through a
/// helper, so the common cases avoid the weak table.
/// </summary>
internal static class SpanLimitsRegistry
{
    // Beyond this many traced sources a linear scan stops being cheaper than the table.
    private const int MaxScannedSources = 16;

    private static readonly ConditionalWeakTable<ActivitySource, SpanLimits> BySource = new();
    private static readonly object Sync = new();
    private static readonly Dictionary<SpanLimits, int> Registrations = new(ReferenceEqualityComparer.Instance);
    private static readonly List<Registration> Registered = [];

    // With a single tracing session (nearly every process), or several whose limits are the same, every
    // traced source is served by one limits object.
    private static volatile SpanLimits? s_only;

    // Otherwise a copy-on-write array of the few registered sources, scanned by reference.
    private static volatile Registration[]? s_scanned = [];

    public static SpanLimits For(ActivitySource source)
    {
        if (s_only is { } only) return only;
        if (s_scanned is { } scanned)
        {
            foreach (var registration in scanned)
            {
                if (ReferenceEquals(registration.Source, source)) return registration.Limits;
            }
            return SpanLimits.Default;
        }
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
            Registered.Add(new Registration(source, limits));
            Publish();
            return true;
        }
    }

    public static void Unregister(ActivitySource source, SpanLimits limits)
    {
        lock (Sync)
        {
            if (!BySource.TryGetValue(source, out var current) || !ReferenceEquals(current, limits)) return;
            BySource.Remove(source);
            Registered.RemoveAll(r => ReferenceEquals(r.Source, source));
            var remaining = Registrations[limits] - 1;
            if (remaining == 0) Registrations.Remove(limits);
            else Registrations[limits] = remaining;
            Publish();
        }
    }

    private static void Publish()
    {
        SpanLimits? only = null;
        foreach (var limits in Registrations.Keys)
        {
            if (only is null)
            {
                only = limits;
            }
            else if (!only.HasSameValues(limits))
            {
                only = null;
                break;
            }
        }
        s_scanned = Registered.Count <= MaxScannedSources ? [.. Registered] : null;
        s_only = only;
    }

    private sealed record Registration(ActivitySource Source, SpanLimits Limits);
}
