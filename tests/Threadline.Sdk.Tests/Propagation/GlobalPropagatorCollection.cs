using System.Diagnostics;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>
/// Every test that changes <see cref="DistributedContextPropagator.Current"/>, or depends on what it
/// is, belongs here: the property is process-wide, so these tests run alone, never beside others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalPropagatorCollection
{
    public const string Name = "DistributedContextPropagator.Current";
}

/// <summary>Puts back the process-wide propagator a test found when it started.</summary>
public abstract class GlobalPropagatorTest : IDisposable
{
    private readonly DistributedContextPropagator _previous = DistributedContextPropagator.Current;

    public void Dispose()
    {
        DistributedContextPropagator.Current = _previous;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
