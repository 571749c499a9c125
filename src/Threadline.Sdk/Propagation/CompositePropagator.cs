using System.Collections.ObjectModel;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// Runs several propagators as one, in the order given (OpenTelemetry composite semantics).
/// </summary>
/// <remarks>
/// Injection lets every propagator write its fields. Extraction hands the context from one
/// propagator to the next, so a later propagator that finds a valid span context replaces the one
/// an earlier propagator found, while a propagator that finds nothing leaves it as it was. With
/// <c>tracecontext,b3</c>, a request carrying both formats therefore continues the B3 parent.
/// </remarks>
public sealed class CompositePropagator : TextMapPropagator
{
    private readonly TextMapPropagator[] _propagators;

    /// <summary>Creates a composite of <paramref name="propagators"/>, run in this order.</summary>
    public CompositePropagator(params TextMapPropagator[] propagators)
        : this((IEnumerable<TextMapPropagator>)propagators)
    {
    }

    /// <summary>Creates a composite of <paramref name="propagators"/>, run in this order.</summary>
    public CompositePropagator(IEnumerable<TextMapPropagator> propagators)
    {
        ArgumentNullException.ThrowIfNull(propagators);
        _propagators = [.. propagators];
        var fields = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var concerns = PropagationConcerns.None;
        for (var i = 0; i < _propagators.Length; i++)
        {
            var propagator = _propagators[i] ?? throw new ArgumentException($"The propagator at index {i} is null.", nameof(propagators));
            concerns |= propagator.Concerns;
            foreach (var field in propagator.Fields)
            {
                if (seen.Add(field)) fields.Add(field);
            }
        }
        Fields = new ReadOnlyCollection<string>(fields);
        Concerns = concerns;
        Propagators = new ReadOnlyCollection<TextMapPropagator>(_propagators);
    }

    /// <summary>The propagators, in the order they run.</summary>
    public IReadOnlyList<TextMapPropagator> Propagators { get; }

    /// <summary>Every field of every propagator, each once, in order of first appearance.</summary>
    public override IReadOnlyCollection<string> Fields { get; }

    internal override PropagationConcerns Concerns { get; }

    /// <inheritdoc/>
    public override void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter)
    {
        foreach (var propagator in _propagators)
        {
            propagator.Inject(context, carrier, setter);
        }
    }

    /// <inheritdoc/>
    public override PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter) =>
        Extract(context, carrier, getter, PropagationConcerns.All);

    internal override void ExtractTraceParent<TCarrier>(TCarrier carrier, CarrierGetter<TCarrier> getter, ref string? traceParent, ref string? traceState)
    {
        foreach (var propagator in _propagators)
        {
            if ((propagator.Concerns & PropagationConcerns.TraceContext) != 0)
            {
                propagator.ExtractTraceParent(carrier, getter, ref traceParent, ref traceState);
            }
        }
    }

    /// <summary>Extracts with only the propagators that deal with <paramref name="concerns"/>.</summary>
    internal PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter, PropagationConcerns concerns)
    {
        var result = context;
        foreach (var propagator in _propagators)
        {
            if ((propagator.Concerns & concerns) == 0) continue;
            result = propagator is CompositePropagator nested
                ? nested.Extract(result, carrier, getter, concerns)
                : propagator.Extract(result, carrier, getter);
        }
        return result;
    }
}
