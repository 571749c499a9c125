namespace Threadline.Server.Hosting;

/// <summary>Where the server is in its life, for <c>/readyz</c>.</summary>
public enum ReadinessState
{
    Starting,
    Ready,
    Stopping,
}

/// <summary>
/// Tracks whether the server should receive traffic: ready once every listener is bound and the
/// store is open, not ready again as soon as shutdown begins, so that load balancers move away
/// while the queue drains.
/// </summary>
public sealed class ServerReadiness
{
    private volatile ReadinessState _state = ReadinessState.Starting;

    public ReadinessState State => _state;

    internal void MarkReady() => _state = ReadinessState.Ready;

    internal void MarkStopping() => _state = ReadinessState.Stopping;
}
