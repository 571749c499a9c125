namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// The time slots of a metrics query: [<see cref="Start"/>, <see cref="End"/>) cut into
/// <see cref="Count"/> steps of <see cref="Step"/> ns. Step <c>i</c> holds the spans starting in
/// [Start + i·Step, Start + (i+1)·Step) and is reported at its start, as Tempo 2.7 does (and as
/// the ingest-time aggregates keep minutes, so that both paths put a span exactly on a boundary
/// in the same step). A range query's start is aligned down and its end up to a multiple of the
/// step since the Unix epoch, so that refreshing "the last hour" keeps the same slots; an instant
/// query is one step over exactly its range.
/// </summary>
internal sealed class StepGrid
{
    private const ulong NanosPerSecond = 1_000_000_000;
    private const ulong NanosPerMillisecond = 1_000_000;

    private StepGrid(ulong start, ulong end, ulong step, bool isInstant)
    {
        Start = start;
        End = end;
        Step = step;
        IsInstant = isInstant;
        Count = (int)((end - start) / step);
    }

    public ulong Start { get; }
    public ulong End { get; }
    public ulong Step { get; }
    public int Count { get; }
    public bool IsInstant { get; }

    /// <summary>The step's width in seconds, what <c>rate()</c> divides by.</summary>
    public double StepSeconds => (double)Step / NanosPerSecond;

    /// <summary>
    /// A range query's grid: [start, end) widened to whole steps.
    /// </summary>
    /// <exception cref="TraceQLQueryException">There would be more than <paramref name="maxSteps"/> steps.</exception>
    public static StepGrid ForRange(ulong start, ulong end, ulong step, int maxSteps)
    {
        var alignedStart = start - start % step;
        var alignedEnd = end % step == 0 ? end : end - end % step + step;
        var count = (alignedEnd - alignedStart) / step;
        if (count > (ulong)maxSteps)
        {
            throw new TraceQLQueryException(
                $"The metrics query would have {count} steps of {Describe(step)}; at most {maxSteps} are allowed (TraceQL option MaxSamplesPerSeries). Use a longer step or a shorter range.");
        }
        return new StepGrid(alignedStart, alignedEnd, step, isInstant: false);
    }

    /// <summary>An instant query's grid: exactly [start, end) as one step.</summary>
    public static StepGrid ForInstant(ulong start, ulong end) => new(start, end, end - start, isInstant: true);

    /// <summary>
    /// Tempo's default step for a range: about 240 points (15 s for an hour), a multiple of
    /// 5 s when that is at least 5 s, else of 1 s, and never under 1 s.
    /// </summary>
    public static ulong DefaultStep(ulong start, ulong end)
    {
        var baseline = (end - start) / 240;
        var step = baseline / (5 * NanosPerSecond) * (5 * NanosPerSecond);
        if (step < 5 * NanosPerSecond) step = baseline / NanosPerSecond * NanosPerSecond;
        return Math.Max(step, NanosPerSecond);
    }

    /// <summary>The step a span starting at <paramref name="unixNano"/> falls in; -1 outside the grid.</summary>
    public int IndexOf(ulong unixNano) =>
        unixNano < Start || unixNano >= End ? -1 : (int)((unixNano - Start) / Step);

    /// <summary>Where step <paramref name="index"/> starts, in Unix ns.</summary>
    public ulong StartOf(int index) => Start + (ulong)index * Step;

    /// <summary>The timestamp a step is reported at: its start, in Unix ms.</summary>
    public long TimestampMsOf(int index) => (long)(StartOf(index) / NanosPerMillisecond);

    private static string Describe(ulong step) =>
        step % NanosPerSecond == 0 ? $"{step / NanosPerSecond}s" : $"{step}ns";
}
