using System.Diagnostics;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// What crosses a process boundary with a request or a message: the caller's span context
/// (trace id, span id, sampled flag, tracestate) and the baggage.
/// </summary>
/// <example>
/// A consumer of a message queue continues the producer's trace through a link:
/// <code>
/// var remote = TextMapPropagators.Extract(message.Headers, static (h, name) => h.TryGetValue(name, out var v) ? v : default);
/// using var span = source.StartActivity("orders process", ActivityKind.Consumer, parentContext: default,
///     links: remote.HasTraceContext ? [new ActivityLink(remote.ActivityContext)] : null);
/// if (span is not null) remote.Baggage.ApplyTo(span);
/// </code>
/// </example>
public readonly record struct PropagationContext
{
    private readonly Baggage? _baggage;

    /// <summary>Creates a context from a span context and optional baggage.</summary>
    public PropagationContext(ActivityContext activityContext, Baggage? baggage = null)
    {
        ActivityContext = activityContext;
        _baggage = baggage;
    }

    /// <summary>The remote span context; <c>default</c> when none was received.</summary>
    public ActivityContext ActivityContext
    {
        get;
        init
        {
            field = value;
            SourceActivityId = null;
        }
    }

    /// <summary>
    /// The <see cref="Activity.Id"/> of the activity this context was read from, when it is exactly
    /// the <c>traceparent</c> to send (W3C format, no flag beyond sampled): injection then reuses the
    /// string the activity already holds. Cleared whenever <see cref="ActivityContext"/> is replaced.
    /// </summary>
    internal string? SourceActivityId { get; private init; }

    /// <summary>The baggage; never null, <see cref="Propagation.Baggage.Empty"/> when there is none.</summary>
    public Baggage Baggage
    {
        get => _baggage ?? Baggage.Empty;
        init => _baggage = value;
    }

    /// <summary>
    /// True when the caller forced the trace to be recorded (B3 debug, <c>b3: …-d</c> or
    /// <c>X-B3-Flags: 1</c>). Debug always comes with the sampled flag set.
    /// </summary>
    public bool IsDebug { get; init; }

    /// <summary>True when both hold the same span context, the same baggage instance and the same debug flag.</summary>
    public bool Equals(PropagationContext other) =>
        ActivityContext == other.ActivityContext && ReferenceEquals(Baggage, other.Baggage) && IsDebug == other.IsDebug;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ActivityContext, Baggage, IsDebug);

    /// <summary>True when <see cref="ActivityContext"/> holds a valid trace id and span id.</summary>
    public bool HasTraceContext => ActivityContext.TraceId != default && ActivityContext.SpanId != default;

    /// <summary>
    /// The context of <paramref name="activity"/> (its ids, flags and tracestate) and all baggage
    /// visible from it, including its parents'. An empty context when the activity is null.
    /// </summary>
    public static PropagationContext FromActivity(Activity? activity)
    {
        if (activity is null) return default;
        return new PropagationContext(activity.Context, Baggage.FromActivity(activity))
        {
            SourceActivityId = activity.IdFormat == ActivityIdFormat.W3C && (activity.ActivityTraceFlags & ~ActivityTraceFlags.Recorded) == 0
                ? activity.Id
                : null,
        };
    }
}
