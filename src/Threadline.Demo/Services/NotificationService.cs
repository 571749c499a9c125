using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Demo.Data;
using Threadline.Demo.Hosting;
using Threadline.Demo.Messaging;

namespace Threadline.Demo.Services;

/// <summary>
/// notification-service: hosts the loopback queue and consumes order notifications from it. Each
/// message is processed in its own trace whose CONSUMER span links to the producer's span.
/// </summary>
internal sealed class NotificationService : ServiceApplication
{
    private const string Schema = """
        CREATE TABLE notifications (id INTEGER PRIMARY KEY AUTOINCREMENT, order_id TEXT NOT NULL, channel TEXT NOT NULL, template TEXT NOT NULL);
        """;

    public override string Name => DemoServiceNames.NotificationService;

    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(_ => DemoDatabase.Open("notifications", Schema));
        // The consumer is registered first so that it stops last: the host stops services in reverse
        // order, so the queue closes first and the consumer then drains what it had accepted.
        services.AddHostedService<NotificationConsumer>();
        services.AddSingleton<LoopbackQueueListener>();
        services.AddHostedService(provider => provider.GetRequiredService<LoopbackQueueListener>());
    }

    public override void MapEndpoints(WebApplication app)
    {
        // Open the database now rather than with the first message.
        app.Services.GetRequiredService<DemoDatabase>();
        app.MapGet("/healthz", () => "ok");
    }
}
