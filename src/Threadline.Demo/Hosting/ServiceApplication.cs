using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Threadline.Demo.Hosting;

/// <summary>
/// One demo service: its services and routes. <see cref="ServiceHost"/> supplies the rest (Kestrel on
/// 127.0.0.1, tracing, the HTTP client, the launcher handshake), the same for every service.
/// </summary>
internal abstract class ServiceApplication
{
    /// <summary>service.name.</summary>
    public abstract string Name { get; }

    /// <summary>False for the fake third party, whose servers would not report to us.</summary>
    public virtual bool IsTraced => true;

    public virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public abstract void MapEndpoints(WebApplication app);
}
