using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Demo.Data;
using Threadline.Demo.Messaging;
using Threadline.Sdk;
using Threadline.Sdk.Propagation;

namespace Threadline.Demo.Services;

/// <summary>
/// Takes order notifications off the loopback queue and "sends" the e-mail. The producer's context
/// comes out of the message headers; the CONSUMER span starts a trace of its own and links to it, as
/// work done later, apart from the checkout request, should.
/// </summary>
internal sealed class NotificationConsumer(LoopbackQueueListener queue, DemoDatabase database, ILogger<NotificationConsumer> logger)
    : IHostedService, IDisposable
{
    private static readonly CarrierGetter<Dictionary<string, string>> GetHeader =
        static (headers, name) => headers.TryGetValue(name, out var value) ? new FieldValues(value) : default;

    private readonly CancellationTokenSource _abandon = new();
    private Task? _consuming;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _consuming = Task.Run(() => ConsumeAsync(_abandon.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_consuming is null) return;
        // The queue has closed by now (it stops first); drain what it accepted unless the host's stop time runs out.
        using var registration = cancellationToken.Register(_abandon.Cancel);
        try
        {
            await _consuming.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // Out of time: the rest of the queue is lost, as in-memory queues lose it.
        }
    }

    private async Task ConsumeAsync(CancellationToken abandon)
    {
        // Each message starts its own trace: nothing the host did at start-up is its parent.
        Activity.Current = null;
        await foreach (var message in queue.Messages.ReadAllAsync(abandon).ConfigureAwait(false))
        {
            try
            {
                await ProcessAsync(message, abandon).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Could not process notification {MessageId}.", message.Id);
            }
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var producer = TextMapPropagators.Extract(message.Headers, GetHeader);
        using var span = DemoTelemetry.Messaging.StartSpan(
            "process " + message.Destination,
            ActivityKind.Consumer,
            [
                new("messaging.system", "threadline_loopback"),
                new("messaging.destination.name", message.Destination),
                new("messaging.operation.type", "process"),
                new("messaging.operation.name", "process"),
                new("messaging.message.id", message.Id),
            ],
            links: producer.HasTraceContext ? [new ActivityLink(producer.ActivityContext)] : null);
        if (span is not null) producer.Baggage.ApplyTo(span);

        try
        {
            var order = message.Body.Deserialize<OrderConfirmed>(ServiceCalls.Json)
                ?? throw new InvalidDataException($"Message {message.Id} has no order in its body.");
            span.SetAttribute("order.id", order.OrderId);

            using (var render = DemoTelemetry.Checkout.StartSpan("render email"))
            {
                render.SetAttribute("notification.template", "order_confirmed");
                await SimulatedWork.DelayAsync(6, 0.5, cancellationToken).ConfigureAwait(false);
            }
            await database.ExecuteAsync(SqlStatement.Create(
                "INSERT", "notifications",
                "INSERT INTO notifications (order_id, channel, template) VALUES ($order, 'email', 'order_confirmed')",
                ("$order", order.OrderId)), cancellationToken).ConfigureAwait(false);
            using (var deliver = DemoTelemetry.Checkout.StartSpan("deliver email"))
            {
                deliver.SetAttribute("notification.channel", "email");
                await SimulatedWork.DelayAsync(25, 0.6, cancellationToken).ConfigureAwait(false);
                deliver.AddEvent("email.sent");
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            span.RecordException(exception);
            span.SetAttribute("error.type", exception.GetType().FullName);
            span.SetSpanStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    public void Dispose() => _abandon.Dispose();
}
