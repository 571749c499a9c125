using System.Diagnostics;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// Lets .NET's own instrumentation use a <see cref="TextMapPropagator"/>: set an instance as
/// <see cref="DistributedContextPropagator.Current"/> (or call <see cref="TextMapPropagators.Install(TextMapPropagator)"/>)
/// and HttpClient injects with it while ASP.NET Core extracts with it, with no other wiring.
/// </summary>
/// <remarks>
/// .NET reads <see cref="DistributedContextPropagator.Current"/> when an HttpClient handler or an
/// ASP.NET Core host is built, so install before building either.
/// </remarks>
public sealed class TextMapDistributedContextPropagator : DistributedContextPropagator
{
    private static readonly CarrierGetter<CallbackCarrier> s_read = static (c, name) =>
    {
        c.Getter!(c.Carrier, name, out var value, out var values);
        return value is not null ? new FieldValues(value) : new FieldValues(values);
    };

    /// <summary>Wraps <paramref name="propagator"/>.</summary>
    public TextMapDistributedContextPropagator(TextMapPropagator propagator)
    {
        ArgumentNullException.ThrowIfNull(propagator);
        Propagator = propagator;
    }

    /// <summary>The propagator doing the work.</summary>
    public TextMapPropagator Propagator { get; }

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> Fields => Propagator.Fields;

    /// <summary>Writes the context of <paramref name="activity"/> and the baggage visible from it.</summary>
    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (activity is null || setter is null) return;
        var context = PropagationContext.FromActivity(activity);
        Propagator.Inject(context, new CallbackCarrier(carrier, setter, null), static (c, name, value) => c.Setter!(c.Carrier, name, value));
    }

    /// <summary>
    /// Reads the remote parent and returns it as a version 00 <c>traceparent</c> string whatever format
    /// it arrived in (B3 included), because ASP.NET Core parses the id it receives here as W3C.
    /// </summary>
    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        traceId = null;
        traceState = null;
        if (getter is null || (Propagator.Concerns & PropagationConcerns.TraceContext) == 0) return;
        Propagator.ExtractTraceParent(new CallbackCarrier(carrier, null, getter), s_read, ref traceId, ref traceState);
    }

    /// <summary>
    /// Reads the baggage, in reverse order: by the contract ASP.NET Core follows, the caller adds the
    /// items one by one with <see cref="Activity.AddBaggage"/>, which restores the sent order.
    /// </summary>
    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter)
    {
        if (getter is null) return null;
        var baggage = ExtractBaggageOnly(carrier, getter).Baggage;
        return baggage.IsEmpty ? null : baggage.ToReversedActivityBaggage();
    }

    private PropagationContext ExtractBaggageOnly(object? carrier, PropagatorGetterCallback getter)
    {
        // .NET asks for the trace context and the baggage in separate calls; only the propagators
        // that can contribute baggage run here.
        var callbackCarrier = new CallbackCarrier(carrier, null, getter);
        if (Propagator is CompositePropagator composite) return composite.Extract(default, callbackCarrier, s_read, PropagationConcerns.Baggage);
        return (Propagator.Concerns & PropagationConcerns.Baggage) != 0 ? Propagator.Extract(default, callbackCarrier, s_read) : default;
    }

    private readonly record struct CallbackCarrier(object? Carrier, PropagatorSetterCallback? Setter, PropagatorGetterCallback? Getter);
}
