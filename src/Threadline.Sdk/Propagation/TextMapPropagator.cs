using System.Diagnostics;

namespace Threadline.Sdk.Propagation;

/// <summary>Writes one field (for HTTP, one header) into a carrier such as a request or a message.</summary>
/// <typeparam name="TCarrier">The type of the carrier.</typeparam>
/// <param name="carrier">The carrier to write to.</param>
/// <param name="fieldName">The field name, e.g. <c>traceparent</c>.</param>
/// <param name="value">The value to write.</param>
public delegate void CarrierSetter<in TCarrier>(TCarrier carrier, string fieldName, string value);

/// <summary>
/// Reads one field from a carrier. Return <c>default</c> when the field is absent and every value
/// in the order received when the field repeats (for example two <c>tracestate</c> headers).
/// Carriers that travel over HTTP must look the name up case-insensitively.
/// </summary>
/// <typeparam name="TCarrier">The type of the carrier.</typeparam>
/// <param name="carrier">The carrier to read from.</param>
/// <param name="fieldName">The field name, e.g. <c>traceparent</c>.</param>
public delegate FieldValues CarrierGetter<in TCarrier>(TCarrier carrier, string fieldName);

/// <summary>
/// Moves a <see cref="PropagationContext"/> across a process boundary as text fields: HTTP headers,
/// message headers, or any string map. Implementations are stateless and thread-safe.
/// </summary>
/// <remarks>
/// Extraction never throws on bad input: a field that does not parse leaves the context passed in
/// unchanged, so one propagator's failure never loses what another one found.
/// </remarks>
public abstract class TextMapPropagator
{
    /// <summary>The field names <see cref="Inject{TCarrier}"/> may write.</summary>
    public abstract IReadOnlyCollection<string> Fields { get; }

    /// <summary>Writes <paramref name="context"/> into <paramref name="carrier"/>.</summary>
    /// <param name="context">The context to send; nothing is written for parts that are empty.</param>
    /// <param name="carrier">The outgoing request or message.</param>
    /// <param name="setter">Writes one field into the carrier.</param>
    public abstract void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter);

    /// <summary>
    /// Reads this propagator's fields from <paramref name="carrier"/> and returns
    /// <paramref name="context"/> updated with what was found, or unchanged when nothing valid was.
    /// </summary>
    /// <param name="context">The context so far; pass <c>default</c> to start empty.</param>
    /// <param name="carrier">The incoming request or message.</param>
    /// <param name="getter">Reads one field from the carrier.</param>
    public abstract PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter);

    /// <summary>
    /// Which parts of the context this propagator reads. .NET asks for the trace context and for
    /// the baggage of an incoming request in two separate calls; knowing this lets each call skip
    /// propagators that cannot contribute. Propagators written outside the SDK are asked every time.
    /// </summary>
    internal virtual PropagationConcerns Concerns => PropagationConcerns.All;

    /// <summary>
    /// Extraction for <see cref="System.Diagnostics.DistributedContextPropagator.ExtractTraceIdAndState"/>:
    /// updates the remote parent, kept as a version 00 <c>traceparent</c> string and a tracestate,
    /// with what this propagator finds. ASP.NET Core parses that string again, so the built-in
    /// propagators override this to validate without building ids, and pass a well-formed header
    /// through without allocating. This default goes through <see cref="Extract{TCarrier}"/>.
    /// </summary>
    internal virtual void ExtractTraceParent<TCarrier>(TCarrier carrier, CarrierGetter<TCarrier> getter, ref string? traceParent, ref string? traceState)
    {
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var before);
        var after = Extract(new PropagationContext(before), carrier, getter).ActivityContext;
        if (after == before) return;
        if (after.TraceId == default || after.SpanId == default)
        {
            traceParent = null;
            traceState = null;
            return;
        }
        traceParent = TraceParent.Format(after.TraceId, after.SpanId, TraceContextPropagator.IsSampled(after.TraceFlags));
        traceState = after.TraceState;
    }
}

/// <summary>The parts of a <see cref="PropagationContext"/> a propagator deals with.</summary>
[Flags]
internal enum PropagationConcerns
{
    None = 0,
    TraceContext = 1,
    Baggage = 2,
    All = TraceContext | Baggage,
}
