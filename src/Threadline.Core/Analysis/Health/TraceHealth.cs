using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>
/// Checks one trace for the problems that make it misleading or incomplete and says, for each,
/// what probably caused it. Linear in the number of spans (plus a sort of client spans when
/// orphans exist).
/// </summary>
public static class TraceHealth
{
    /// <summary>The most span ids one finding lists.</summary>
    public const int MaxSpanIdsPerFinding = 1_000;

    /// <summary>How far back (in client spans by start time) the caller of an orphan is looked for.</summary>
    private const int CallerSearchWindow = 64;

    // OTLP span flags: bit 8 says whether bit 9 is known; bit 9 says the parent was remote.
    private const uint ParentRemoteKnown = 0x100;
    private const uint ParentRemote = 0x200;
    private const uint SampledFlag = 0x01;

    /// <summary>
    /// Every finding for the trace, errors first. <paramref name="skew"/> must come from the same
    /// tree: child/parent containment is judged on adjusted times, and each corrected host is reported.
    /// </summary>
    public static IReadOnlyList<HealthFinding> Check(TraceTree tree, ClockSkewResult skew)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(skew);
        if (!ReferenceEquals(skew.Tree, tree))
            throw new ArgumentException("The skew result was computed for another trace tree.", nameof(skew));

        var findings = new List<HealthFinding>();
        CheckRoots(tree, findings);
        CheckMissingParents(tree, findings);
        CheckLoops(tree, findings);
        CheckTimes(tree, findings);
        CheckContainment(tree, skew, findings);
        CheckSampling(tree, findings);
        CheckDuplicates(tree, findings);
        CheckSkew(tree, skew, findings);
        return findings.OrderBy(f => f.Severity).ThenBy(f => f.Kind).ToArray();
    }

    private static void CheckRoots(TraceTree tree, List<HealthFinding> findings)
    {
        if (tree.Roots.Count < 2) return;
        var spans = tree.Spans;
        var examples = string.Join(", ", tree.Roots.Take(3).Select(i => Operation(spans[i])));
        findings.Add(new HealthFinding(HealthFindingKind.MultipleRoots, HealthSeverity.Warning,
            "Trace has several root spans",
            $"{Count(tree.Roots.Count, "spans have", "span has")} no parent ({examples}{(tree.Roots.Count > 3 ? ", …" : "")}): more than one request started " +
            "this trace id. A client reuses trace ids across requests, or a service starts a new root span while keeping an incoming trace id; " +
            "start a new trace per request, or continue the incoming one as a child.",
            Ids(spans, tree.Roots), Services(spans, tree.Roots)));
    }

    private static void CheckMissingParents(TraceTree tree, List<HealthFinding> findings)
    {
        if (tree.Orphans.Count == 0) return;
        var spans = tree.Spans;
        var leafClients = LeafClientsByStart(tree);
        foreach (var group in tree.Orphans.GroupBy(i => spans[i].ParentSpanId))
        {
            var orphans = group.ToArray();
            var first = spans[orphans[0]];
            var service = first.ServiceName;
            var caller = FindCaller(spans, leafClients, first);
            var crossesServices = caller >= 0
                || orphans.Any(i => spans[i].Kind is SpanKind.Server or SpanKind.Consumer
                    || (spans[i].Flags & (ParentRemoteKnown | ParentRemote)) == (ParentRemoteKnown | ParentRemote));
            var what = $"{Count(orphans.Length, "spans", "span")} of {service} name parent {group.Key}, which never arrived.";
            if (crossesServices)
            {
                var callerService = caller >= 0 ? spans[caller].ServiceName : null;
                var boundary = callerService is null ? $"an uninstrumented client → {service}" : $"{callerService} → {service}";
                var hint = callerService is null
                    ? "Whatever calls " + service + " sent a trace context but exported no span for the call"
                    : $"{Operation(spans[caller])} made the call but no span with that id was exported";
                findings.Add(new HealthFinding(HealthFindingKind.MissingParent, HealthSeverity.Error,
                    "Trace is split: parent span missing",
                    $"{what} {boundary} lost the trace context: a proxy that strips or rewrites traceparent, or a client without instrumentation. " +
                    $"{hint}; instrument the caller, or make the proxy forward traceparent unchanged.",
                    Ids(spans, orphans), callerService is null || callerService == service ? [service] : [callerService, service]));
            }
            else
            {
                findings.Add(new HealthFinding(HealthFindingKind.Orphan, HealthSeverity.Warning,
                    "Spans cut off from their parent",
                    $"{what} The parent belongs to {service} itself and was never exported: it was dropped (a full export queue, a filtering processor) " +
                    "or still running when the process stopped. Check the exporter's dropped-span count and that every span is ended.",
                    Ids(spans, orphans), [service]));
            }
        }
    }

    private static void CheckLoops(TraceTree tree, List<HealthFinding> findings)
    {
        if (tree.LoopBreaks.Count == 0) return;
        var spans = tree.Spans;
        findings.Add(new HealthFinding(HealthFindingKind.Orphan, HealthSeverity.Error,
            "Parent links form a loop",
            $"Following parent ids from {Count(tree.LoopBreaks.Count, "spans", "span")} (e.g. {Operation(spans[tree.LoopBreaks[0]])}) leads back to them: " +
            "a span names one of its own descendants as parent. An SDK or proxy reuses span ids; the loop was cut to show the trace.",
            Ids(spans, tree.LoopBreaks), Services(spans, tree.LoopBreaks)));
    }

    private static void CheckTimes(TraceTree tree, List<HealthFinding> findings)
    {
        var spans = tree.Spans;
        var backwards = new List<int>();
        var open = new List<int>();
        ulong worst = 0;
        for (var i = 0; i < tree.Count; i++)
        {
            var span = spans[i];
            if (span.EndTimeUnixNano == 0) open.Add(i);
            else if (span.EndTimeUnixNano < span.StartTimeUnixNano)
            {
                backwards.Add(i);
                worst = Math.Max(worst, span.StartTimeUnixNano - span.EndTimeUnixNano);
            }
        }
        if (backwards.Count > 0)
        {
            findings.Add(new HealthFinding(HealthFindingKind.EndBeforeStart, HealthSeverity.Error,
                "Spans end before they start",
                $"{Count(backwards.Count, "spans", "span")} of {ServiceList(spans, backwards)} end before they start (by up to {DurationText.Format(worst)}, " +
                $"e.g. {Operation(spans[backwards[0]])}): the instrumentation set the times from two different clocks or by hand. " +
                "Their durations show as 0; take both times from the same clock.",
                Ids(spans, backwards), Services(spans, backwards)));
        }
        if (open.Count > 0)
        {
            findings.Add(new HealthFinding(HealthFindingKind.NeverEnded, HealthSeverity.Warning,
                "Spans never ended",
                $"{Count(open.Count, "spans", "span")} of {ServiceList(spans, open)} have no end time (e.g. {Operation(spans[open[0]])}): " +
                "they were exported before End() was called, or the process stopped while they ran. Their durations are unknown; " +
                "make sure every code path ends its span (a using block or try/finally).",
                Ids(spans, open), Services(spans, open)));
        }
    }

    private static void CheckContainment(TraceTree tree, ClockSkewResult skew, List<HealthFinding> findings)
    {
        var spans = tree.Spans;
        var sameHost = new List<int>();
        var crossHost = new List<int>();
        for (var i = 0; i < tree.Count; i++)
        {
            var p = tree.ParentOf(i);
            if (p < 0 || !HasTimes(spans[i]) || !HasTimes(spans[p])) continue;
            // Messaging is asynchronous by design: a consumer may run long after its producer.
            if (spans[p].Kind == SpanKind.Producer || spans[i].Kind == SpanKind.Consumer) continue;
            if (skew.StartOf(i) >= skew.StartOf(p) && skew.EndOf(i) <= skew.EndOf(p)) continue;
            (skew.HostOf(i) == skew.HostOf(p) ? sameHost : crossHost).Add(i);
        }
        if (sameHost.Count > 0)
        {
            findings.Add(new HealthFinding(HealthFindingKind.ChildOutsideParent, HealthSeverity.Warning,
                "Children outside their parent's time",
                $"{Count(sameHost.Count, "spans lie", "span lies")} outside their parent's interval on the same host ({Example(tree, skew, sameHost[0])}), " +
                "so clock skew does not explain it: the parent was ended before its child (a missing await, a fire-and-forget task started as a child), " +
                "or times were set by hand. End the parent after its children, or start background work with a link instead of as a child.",
                Ids(spans, sameHost), Services(spans, sameHost)));
        }
        if (crossHost.Count > 0)
        {
            findings.Add(new HealthFinding(HealthFindingKind.ChildOutsideParent, HealthSeverity.Info,
                "Children outside their parent's time across hosts",
                $"{Count(crossHost.Count, "spans lie", "span lies")} outside their caller's interval on another host even after clock correction " +
                $"({Example(tree, skew, crossHost[0])}): the clocks drift during the trace, or the call is asynchronous. Keep the hosts' clocks in sync (NTP).",
                Ids(spans, crossHost), Services(spans, crossHost)));
        }
    }

    private static void CheckSampling(TraceTree tree, List<HealthFinding> findings)
    {
        var spans = tree.Spans;
        var sampled = new List<int>();
        var unsampled = new List<int>();
        for (var i = 0; i < tree.Count; i++)
        {
            // A flags field of 0 is what exporters that do not send flags produce: unknown, not "unsampled".
            var flags = spans[i].Flags;
            if (flags == 0) continue;
            ((flags & SampledFlag) != 0 ? sampled : unsampled).Add(i);
        }
        if (sampled.Count == 0 || unsampled.Count == 0) return;
        findings.Add(new HealthFinding(HealthFindingKind.MixedSampling, HealthSeverity.Warning,
            "Services disagree on sampling",
            $"{Count(unsampled.Count, "spans", "span")} of {ServiceList(spans, unsampled)} carry \"not sampled\" while {sampled.Count.ToString("N0", CultureInfo.InvariantCulture)} " +
            "other spans of the trace carry \"sampled\": the services decide sampling on their own (a sampler that is not parent-based, or a proxy " +
            "resetting the trace flags), so traces lose parts at random. Use a parent-based sampler in every service.",
            Ids(spans, unsampled), Services(spans, unsampled)));
    }

    private static void CheckDuplicates(TraceTree tree, List<HealthFinding> findings)
    {
        if (tree.Duplicates.Count == 0) return;
        var spans = tree.Spans;
        var all = tree.Duplicates.SelectMany(d => d.Indexes).ToArray();
        var example = tree.Duplicates[0];
        findings.Add(new HealthFinding(HealthFindingKind.DuplicateSpanId, HealthSeverity.Error,
            "Span ids used more than once",
            $"{Count(tree.Duplicates.Count, "span ids are", "span id is")} carried by more than one span (e.g. {example.SpanId}: " +
            $"{string.Join(", ", example.Indexes.Take(3).Select(i => Operation(spans[i])))}): an SDK or proxy generates ids badly, or a span was " +
            "exported twice with different contents. Children attach to the first; fix the id generator (random 64-bit ids).",
            Ids(spans, all), Services(spans, all)));
    }

    private static void CheckSkew(TraceTree tree, ClockSkewResult skew, List<HealthFinding> findings)
    {
        if (skew.Hosts.Count == 0) return;
        var spans = tree.Spans;
        var spansByHost = skew.Hosts.ToDictionary(h => h.Host, _ => new List<int>(), StringComparer.Ordinal);
        for (var i = 0; i < tree.Count; i++)
        {
            if (spansByHost.TryGetValue(skew.HostOf(i), out var list)) list.Add(i);
        }
        foreach (var host in skew.Hosts)
        {
            var shifted = spansByHost[host.Host];
            var amount = DurationText.Format(host.ShiftNanos < 0 ? (ulong)-host.ShiftNanos : (ulong)host.ShiftNanos);
            var child = spans[host.ChildIndex];
            var parent = spans[host.ParentIndex];
            findings.Add(new HealthFinding(HealthFindingKind.ClockSkew, HealthSeverity.Warning,
                "Clock skew corrected",
                $"Clocks of host {host.Host} ({child.ServiceName}) and host {host.ReferenceHost} ({parent.ServiceName}) differ: in the call " +
                $"{Operation(parent)} → {Operation(child)}, {host.Reason}. {Count(host.SpanCount, $"spans of {host.Host} are", $"span of {host.Host} is")} shown " +
                $"{amount} {(host.ShiftNanos < 0 ? "earlier" : "later")}; the stored times are unchanged. Keep the hosts' clocks in sync (NTP).",
                Ids(spans, shifted), child.ServiceName == parent.ServiceName ? [child.ServiceName] : [child.ServiceName, parent.ServiceName]));
        }
    }

    /// <summary>CLIENT and PRODUCER spans without children (a call whose other side did not link up), ordered by start.</summary>
    private static int[] LeafClientsByStart(TraceTree tree)
    {
        var leaves = new List<int>();
        for (var i = 0; i < tree.Count; i++)
        {
            if (tree.Spans[i].Kind is SpanKind.Client or SpanKind.Producer && tree.ChildrenOf(i).IsEmpty) leaves.Add(i);
        }
        var array = leaves.ToArray();
        var keys = array.Select(i => tree.Spans[i].StartTimeUnixNano).ToArray();
        Array.Sort(keys, array);
        return array;
    }

    /// <summary>The leaf client span of another service that started last before the orphan and was still running; -1 if none.</summary>
    private static int FindCaller(IReadOnlyList<Span> spans, int[] leafClients, Span orphan)
    {
        int low = 0, high = leafClients.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (spans[leafClients[mid]].StartTimeUnixNano <= orphan.StartTimeUnixNano) low = mid + 1;
            else high = mid;
        }
        for (var k = low - 1; k >= 0 && k >= low - CallerSearchWindow; k--)
        {
            var candidate = spans[leafClients[k]];
            if (candidate.ServiceName == orphan.ServiceName) continue;
            if (candidate.EndTimeUnixNano == 0 || candidate.EndTimeUnixNano >= orphan.StartTimeUnixNano) return leafClients[k];
        }
        return -1;
    }

    private static string Example(TraceTree tree, ClockSkewResult skew, int child)
    {
        var parent = tree.ParentOf(child);
        var spans = tree.Spans;
        if (skew.StartOf(child) < skew.StartOf(parent))
            return $"{Operation(spans[child])} starts {DurationText.Format(skew.StartOf(parent) - skew.StartOf(child))} before its parent {Operation(spans[parent])}";
        return $"{Operation(spans[child])} ends {DurationText.Format(skew.EndOf(child) - skew.EndOf(parent))} after its parent {Operation(spans[parent])}";
    }

    private static bool HasTimes(Span span) => span.EndTimeUnixNano != 0 && span.EndTimeUnixNano >= span.StartTimeUnixNano;

    private static string Operation(Span span) => $"{span.ServiceName}: {span.Name}";

    private static string Count(int count, string plural, string singular) =>
        count == 1 ? "1 " + singular : count.ToString("N0", CultureInfo.InvariantCulture) + " " + plural;

    private static SpanId[] Ids(IReadOnlyList<Span> spans, IEnumerable<int> indexes) =>
        indexes.Take(MaxSpanIdsPerFinding).Select(i => spans[i].SpanId).ToArray();

    private static string[] Services(IReadOnlyList<Span> spans, IEnumerable<int> indexes) =>
        indexes.Select(i => spans[i].ServiceName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static string ServiceList(IReadOnlyList<Span> spans, IEnumerable<int> indexes)
    {
        var services = Services(spans, indexes);
        return services.Length <= 3 ? string.Join(", ", services) : string.Join(", ", services.Take(3)) + $" and {services.Length - 3} more services";
    }
}
