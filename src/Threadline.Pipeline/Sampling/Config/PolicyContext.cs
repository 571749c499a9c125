using Threadline.Pipeline.Sampling.Policies.Conditions;

namespace Threadline.Pipeline.Sampling.Config;

/// <summary>What building policies needs from outside the file: the clock rate policies count by, and the TraceQL compiler.</summary>
public sealed record PolicyContext
{
    /// <summary>The clock of rate, bytes, composite and dynamic policies.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Compiles a <c>traceql</c> policy's query; throws <see cref="FormatException"/> with the
    /// position for a bad one. Null leaves <c>traceql</c> policies unavailable.
    /// </summary>
    public Func<string, TraceCondition>? CompileTraceQL { get; init; }
}
