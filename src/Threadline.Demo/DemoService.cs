using Threadline.Demo.Hosting;
using Threadline.Demo.Services;

namespace Threadline.Demo;

/// <summary>Runs one demo service in this process: what <c>threadline-demo service &lt;name&gt;</c> does.</summary>
public static class DemoService
{
    /// <summary>
    /// Runs the service named <paramref name="name"/> (one of <see cref="DemoServiceNames.All"/>) until
    /// <paramref name="cancellationToken"/> fires or, when supervised, its launcher closes standard input;
    /// then stops gracefully and exports the spans still queued.
    /// </summary>
    /// <exception cref="ArgumentException">No service has that name.</exception>
    public static Task RunAsync(string name, DemoServiceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ServiceApplication service = name switch
        {
            DemoServiceNames.ApiGateway => new ApiGatewayService(),
            DemoServiceNames.OrderService => new OrderService(),
            DemoServiceNames.InventoryService => new InventoryService(),
            DemoServiceNames.PaymentService => new PaymentService(),
            DemoServiceNames.NotificationService => new NotificationService(),
            DemoServiceNames.ThirdParty => new ThirdPartyService(),
            DemoServiceNames.TraceContext => new TraceContextTestService(),
            _ => throw new ArgumentException($"There is no demo service '{name}'; the services are {string.Join(", ", DemoServiceNames.All)}.", nameof(name)),
        };
        return ServiceHost.RunAsync(service, options, cancellationToken);
    }
}
