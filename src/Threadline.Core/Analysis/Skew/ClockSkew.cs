using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>
/// Corrects clock differences between hosts, after the idea of Jaeger's clock-skew adjuster.
/// Spans are grouped by host (<see cref="SpanHost"/>); walking down from the roots, the first
/// time a host is met decides its shift for the whole trace, so that every span of one host moves
/// by the same amount and the host's own parent/child times stay as measured:
/// <list type="bullet">
/// <item>met as a SERVER child of a CLIENT span on another host: the smallest shift that puts the
/// child inside the caller's interval; a child longer than its caller cannot fit and is centred on it;</item>
/// <item>met as a CONSUMER child of a PRODUCER span (or any other cross-host SERVER/CONSUMER under a
/// CLIENT/PRODUCER pairing): messaging is asynchronous, so the consumer may run long after the producer
/// ended; only a consumer starting before its producer started is impossible, and is moved to start with it;</item>
/// <item>met any other way (a root's host, an orphan's host, an INTERNAL span): no shift.</item>
/// </list>
/// Spans never ended or ending before they start are not used to decide a shift. Linear time.
/// </summary>
public static class ClockSkew
{
    /// <summary>The shifts that make the trace's cross-host calls consistent; the spans are left untouched.</summary>
    public static ClockSkewResult Adjust(TraceTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var spans = tree.Spans;
        var count = tree.Count;
        // Hosts are numbered once per resource, so the walk below compares and indexes integers, never hashes strings.
        var hostOf = new int[count];
        var hostNames = new List<string>();
        var hostIdByResource = new Dictionary<Resource, int>(ReferenceEqualityComparer.Instance);
        var hostIdByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var resource = spans[i].Resource;
            if (!hostIdByResource.TryGetValue(resource, out var id))
            {
                var name = SpanHost.Of(resource);
                if (!hostIdByName.TryGetValue(name, out id))
                {
                    hostIdByName[name] = id = hostNames.Count;
                    hostNames.Add(name);
                }
                hostIdByResource[resource] = id;
            }
            hostOf[i] = id;
        }
        var spanCountByHost = new int[hostNames.Count];
        foreach (var id in hostOf) spanCountByHost[id]++;

        var hostShift = new long[hostNames.Count];
        var decidedHost = new bool[hostNames.Count];
        var corrected = new List<HostSkew>();
        var visited = new bool[count];
        var queue = new int[count];
        // Whole subtrees one after another, the real roots' first: an orphan must not fix the
        // clock of a host that the rooted part of the trace can place.
        foreach (var top in tree.Roots.Concat(tree.Orphans).Concat(tree.LoopBreaks))
        {
            if (visited[top]) continue;
            int head = 0, tail = 0;
            queue[tail++] = top;
            visited[top] = true;
            while (head < tail)
            {
                var at = queue[head++];
                var host = hostOf[at];
                if (!decidedHost[host])
                {
                    decidedHost[host] = true;
                    var parent = tree.ParentOf(at);
                    var decided = parent >= 0 && hostOf[parent] != host
                        ? DecideShift(spans[parent], hostShift[hostOf[parent]], spans[at])
                        : null;
                    if (decided is { Shift: not 0 } d)
                    {
                        hostShift[host] = d.Shift;
                        corrected.Add(new HostSkew(hostNames[host], hostNames[hostOf[parent]], d.Shift, at, parent, d.Reason, spanCountByHost[host]));
                    }
                }
                foreach (var child in tree.ChildrenOf(at))
                {
                    if (visited[child]) continue;
                    visited[child] = true;
                    queue[tail++] = child;
                }
            }
        }

        var shift = new long[count];
        var adjustments = new List<SkewAdjustment>();
        var hostNameOf = new string[count];
        for (var i = 0; i < count; i++) hostNameOf[i] = hostNames[hostOf[i]];
        if (corrected.Count > 0)
        {
            var messageByHost = corrected.ToDictionary(h => h.Host, Message, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                shift[i] = hostShift[hostOf[i]];
                if (shift[i] != 0)
                    adjustments.Add(new SkewAdjustment(i, spans[i].SpanId, spans[i].ServiceName, hostNameOf[i], shift[i], messageByHost[hostNameOf[i]]));
            }
        }
        return new ClockSkewResult(tree, shift, hostNameOf, corrected, adjustments);
    }

    private static string Message(HostSkew host)
    {
        var direction = host.ShiftNanos < 0 ? "earlier" : "later";
        var amount = DurationText.Format(host.ShiftNanos < 0 ? (ulong)-host.ShiftNanos : (ulong)host.ShiftNanos);
        return $"Shifted {amount} {direction}: {host.Reason}; clocks of host {host.Host} and host {host.ReferenceHost} differ.";
    }

    private static (long Shift, string Reason)? DecideShift(Span parent, long parentShift, Span child)
    {
        var remoteCall = (parent.Kind, child.Kind) switch
        {
            (SpanKind.Client, SpanKind.Server) => true,
            (SpanKind.Client or SpanKind.Producer, SpanKind.Server or SpanKind.Consumer) => false,
            _ => (bool?)null,
        };
        if (remoteCall is not { } synchronous || !HasTimes(parent) || !HasTimes(child)) return null;

        var parentStart = (long)ClockSkewResult.Shifted(parent.StartTimeUnixNano, parentShift);
        var parentEnd = (long)ClockSkewResult.Shifted(parent.EndTimeUnixNano, parentShift);
        var childStart = (long)child.StartTimeUnixNano;
        var childEnd = (long)child.EndTimeUnixNano;

        if (!synchronous)
            return childStart < parentStart ? (parentStart - childStart, "the message was consumed before it was sent") : null;

        if (childStart >= parentStart && childEnd <= parentEnd) return null;
        var childLength = childEnd - childStart;
        var parentLength = parentEnd - parentStart;
        if (childLength > parentLength)
        {
            var centred = parentStart + (parentLength / 2) - (childStart + (childLength / 2));
            return centred == 0 ? null : (centred, "the span is longer than its caller and was centred on it");
        }
        var reason = childStart >= parentEnd ? "the span started after its parent ended"
            : childEnd <= parentStart ? "the span ended before its parent started"
            : childStart < parentStart ? "the span started before its parent"
            : "the span ended after its parent";
        return childStart < parentStart ? (parentStart - childStart, reason) : (parentEnd - childEnd, reason);
    }

    private static bool HasTimes(Span span) => span.EndTimeUnixNano != 0 && span.EndTimeUnixNano >= span.StartTimeUnixNano;
}
