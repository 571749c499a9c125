using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Threadline.IntegrationTests.Interop;

/// <summary>
/// One service's tracing in an interop test, done with one SDK: its own service.name, its own
/// ActivitySource, and that SDK's propagator writing and reading the headers.
/// </summary>
internal abstract class TracingSide : IAsyncDisposable
{
    public const string TenantKey = "tenant";

    protected TracingSide(string serviceName, string sdk)
    {
        ServiceName = serviceName;
        // Unique per test, so that no other listener in the process claims the source.
        Source = new ActivitySource($"Threadline.IntegrationTests.Interop.{serviceName}.{sdk}.{Guid.NewGuid():n}");
    }

    public string ServiceName { get; }

    public ActivitySource Source { get; }

    /// <summary>Starts a trace: a root span with the given tracestate, and <see cref="TenantKey"/> in the baggage.</summary>
    public abstract Activity StartRoot(string name, string traceState, string tenant);

    /// <summary>Starts a child of the current span.</summary>
    public abstract Activity StartChild(string name, ActivityKind kind);

    /// <summary>Reads the caller's context and baggage from the request and starts the SERVER span under it.</summary>
    public abstract Activity StartServer(string name, HttpRequest request);

    /// <summary>Writes the context of <paramref name="span"/> and the current baggage into <paramref name="request"/>.</summary>
    public abstract void Inject(Activity span, HttpRequestMessage request);

    /// <summary>The <see cref="TenantKey"/> baggage visible at <paramref name="span"/>.</summary>
    public abstract string? Tenant(Activity span);

    /// <summary>Exports every ended span now.</summary>
    public abstract Task FlushAsync();

    public abstract ValueTask DisposeAsync();
}
