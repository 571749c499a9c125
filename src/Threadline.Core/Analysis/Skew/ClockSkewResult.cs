using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>
/// The outcome of <see cref="ClockSkew.Adjust"/>: a shift per span (every span of a host shares
/// its host's shift) and the list of shifted spans. The spans themselves are never changed.
/// </summary>
public sealed class ClockSkewResult
{
    private readonly long[] _shift;
    private readonly string[] _host;

    internal ClockSkewResult(TraceTree tree, long[] shift, string[] host, IReadOnlyList<HostSkew> hosts, IReadOnlyList<SkewAdjustment> adjustments)
    {
        Tree = tree;
        _shift = shift;
        _host = host;
        Hosts = hosts;
        Adjustments = adjustments;
    }

    public TraceTree Tree { get; }

    /// <summary>Hosts whose clock was corrected, in the order they were met walking down from the roots.</summary>
    public IReadOnlyList<HostSkew> Hosts { get; }

    /// <summary>Every shifted span, in span order, with its host, shift and the reason in words.</summary>
    public IReadOnlyList<SkewAdjustment> Adjustments { get; }

    /// <summary>Nanoseconds added to the span's times (negative: moved earlier).</summary>
    public long ShiftOf(int index) => _shift[index];

    /// <summary>The clock the span was timed with (see <see cref="SpanHost"/>).</summary>
    public string HostOf(int index) => _host[index];

    /// <summary>The span's start after the shift.</summary>
    public ulong StartOf(int index) => Shifted(Tree.Spans[index].StartTimeUnixNano, _shift[index]);

    /// <summary>The span's end after the shift; 0 stays 0 (a span never ended).</summary>
    public ulong EndOf(int index)
    {
        var end = Tree.Spans[index].EndTimeUnixNano;
        return end == 0 ? 0 : Shifted(end, _shift[index]);
    }

    internal static ulong Shifted(ulong time, long shift) => shift switch
    {
        >= 0 => time > ulong.MaxValue - (ulong)shift ? ulong.MaxValue : time + (ulong)shift,
        _ => time < (ulong)-shift ? 0 : time - (ulong)-shift,
    };
}

/// <summary>A host's clock correction, found on the call from <see cref="ReferenceHost"/> into it.</summary>
/// <param name="Host">The host whose spans were shifted.</param>
/// <param name="ReferenceHost">The caller's host, whose clock the shift aligns to.</param>
/// <param name="ShiftNanos">Added to every span time of the host (negative: earlier).</param>
/// <param name="ChildIndex">The SERVER/CONSUMER span that lay outside its caller.</param>
/// <param name="ParentIndex">The CLIENT/PRODUCER span that called it.</param>
/// <param name="Reason">Why it was shifted, in words ("the span started after its parent ended").</param>
/// <param name="SpanCount">How many spans of the trace the host has.</param>
public sealed record HostSkew(string Host, string ReferenceHost, long ShiftNanos, int ChildIndex, int ParentIndex, string Reason, int SpanCount);

/// <summary>One shifted span.</summary>
public sealed record SkewAdjustment(int SpanIndex, SpanId SpanId, string Service, string Host, long ShiftNanos, string Message);
