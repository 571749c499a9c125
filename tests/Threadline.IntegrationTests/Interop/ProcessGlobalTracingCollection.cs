using System.Diagnostics;

namespace Threadline.IntegrationTests.Interop;

/// <summary>
/// Tests that change process-wide tracing state (DistributedContextPropagator.Current, activity
/// listeners of two SDKs) run alone, and the propagator is put back after them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessGlobalTracingCollection : ICollectionFixture<PropagatorRestorer>
{
    public const string Name = "process-global tracing";
}

/// <summary>Remembers the process's propagator before the collection and restores it after.</summary>
public sealed class PropagatorRestorer : IDisposable
{
    private readonly DistributedContextPropagator _original = DistributedContextPropagator.Current;

    public void Dispose() => DistributedContextPropagator.Current = _original;
}
