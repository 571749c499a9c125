namespace Threadline.Sdk.Propagation;

/// <summary>Propagates nothing: injects no field and extracts nothing (<c>OTEL_PROPAGATORS=none</c>).</summary>
public sealed class NoOpPropagator : TextMapPropagator
{
    /// <summary>The shared instance.</summary>
    public static NoOpPropagator Instance { get; } = new();

    private NoOpPropagator()
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> Fields { get; } = [];

    internal override PropagationConcerns Concerns => PropagationConcerns.None;

    /// <inheritdoc/>
    public override void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter)
    {
    }

    /// <inheritdoc/>
    public override PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter) => context;
}
