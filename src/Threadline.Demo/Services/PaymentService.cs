using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Demo.Data;
using Threadline.Demo.Hosting;
using Threadline.Sdk;

namespace Threadline.Demo.Services;

/// <summary>
/// payment-service: records each attempt in its SQLite database and charges the card through the
/// external payment provider. A declined card ends the "charge card" span in error with the exception recorded.
/// </summary>
internal sealed class PaymentService : ServiceApplication
{
    private const string ProviderName = "fakepay";

    private const string Schema = """
        CREATE TABLE payments (id TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,
                               status TEXT NOT NULL, provider_charge_id TEXT, decline_code TEXT);
        """;

    public override string Name => DemoServiceNames.PaymentService;

    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(_ => DemoDatabase.Open("payments", Schema));
        services.AddSingleton<Cashier>();
    }

    public override void MapEndpoints(WebApplication app)
    {
        // Open the database now rather than in the first request.
        app.Services.GetRequiredService<DemoDatabase>();
        app.MapPost("/payments", (PaymentRequest request, Cashier cashier, CancellationToken cancellationToken) =>
            cashier.ChargeAsync(request, cancellationToken));
    }

    private sealed class Cashier(DemoDatabase database, HttpClient http, PeerDirectory peers)
    {
        public async Task<IResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
        {
            var paymentId = "pay_" + Guid.NewGuid().ToString("n")[..12];
            var server = Activity.Current;
            server.SetAttribute("order.id", request.OrderId);
            // Set by api-gateway as baggage: it arrived with the request, no API change needed.
            server.SetAttribute("user.tier", server?.GetBaggageItem("user.tier"));

            using var span = DemoTelemetry.Checkout.StartSpan(
                "charge card",
                ActivityKind.Internal,
                [
                    new("order.id", request.OrderId),
                    new("payment.id", paymentId),
                    new("payment.amount_cents", request.AmountCents),
                    new("payment.currency", request.Currency),
                    new("payment.provider", ProviderName),
                ]);

            span.AddEvent("payment.validation.started", [new("validation.rules", "amount,currency,card")]);
            await SimulatedWork.DelayAsync(4, 0.5, cancellationToken).ConfigureAwait(false);
            if (request.AmountCents <= 0 || request.Currency.Length != 3)
            {
                span.SetSpanStatus(ActivityStatusCode.Error, "invalid amount or currency");
                return Results.BadRequest(new PaymentResponse("invalid", null, "amount must be positive and currency a 3-letter code"));
            }
            span.AddEvent("payment.validation.completed");

            await database.ExecuteAsync(SqlStatement.Create(
                "INSERT", "payments",
                "INSERT INTO payments (id, order_id, amount_cents, currency, status) VALUES ($id, $order, $amount, $currency, 'pending')",
                ("$id", paymentId), ("$order", request.OrderId), ("$amount", request.AmountCents), ("$currency", request.Currency)), cancellationToken).ConfigureAwait(false);

            try
            {
                var chargeId = await ChargeWithProviderAsync(request, paymentId, cancellationToken).ConfigureAwait(false);
                await RecordOutcomeAsync(paymentId, "succeeded", chargeId, null, cancellationToken).ConfigureAwait(false);
                span.SetAttribute("payment.transaction_id", chargeId);
                span.SetAttribute("payment.status", "success");
                span.SetSpanStatus(ActivityStatusCode.Ok);
                return Results.Ok(new PaymentResponse("succeeded", paymentId, null));
            }
            catch (PaymentDeclinedException declined)
            {
                span.RecordException(declined);
                span.SetAttribute("payment.status", "declined");
                span.SetAttribute("payment.decline_reason", declined.DeclineCode);
                span.SetAttribute("error.type", "payment_declined");
                span.SetSpanStatus(ActivityStatusCode.Error, "Payment declined");
                await RecordOutcomeAsync(paymentId, "declined", null, declined.DeclineCode, cancellationToken).ConfigureAwait(false);
                return Results.Json(new PaymentResponse("declined", null, declined.DeclineCode), ServiceCalls.Json, statusCode: StatusCodes.Status402PaymentRequired);
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidDataException
                                                  or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                span.RecordException(exception);
                span.SetAttribute("error.type", exception.GetType().FullName);
                span.SetSpanStatus(ActivityStatusCode.Error, "Payment provider unavailable");
                await RecordOutcomeAsync(paymentId, "failed", null, null, cancellationToken).ConfigureAwait(false);
                return Results.Json(new PaymentResponse("failed", null, "provider_unavailable"), ServiceCalls.Json, statusCode: StatusCodes.Status502BadGateway);
            }
        }

        private async Task<string> ChargeWithProviderAsync(PaymentRequest request, string paymentId, CancellationToken cancellationToken)
        {
            // HttpClient's own CLIENT span covers this call: the provider is a third party and reports nothing itself.
            using var response = await http.PostAsJsonAsync(
                peers.Resolve(DemoServiceNames.ThirdParty, "/v1/charges"),
                new ProviderChargeRequest(request.AmountCents, request.Currency.ToLowerInvariant(), request.PaymentToken, paymentId),
                cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.PaymentRequired)
            {
                var refusal = await response.Content.ReadFromJsonAsync<ProviderErrorBody>(cancellationToken).ConfigureAwait(false);
                throw new PaymentDeclinedException(refusal?.Error.DeclineCode ?? refusal?.Error.Code ?? "card_declined", refusal?.Error.Message ?? "The card was declined.");
            }
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"The payment provider answered {(int)response.StatusCode}.", null, response.StatusCode);
            var charge = await response.Content.ReadFromJsonAsync<ProviderCharge>(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException("The payment provider sent an empty body.");
            return charge.Id;
        }

        private Task<int> RecordOutcomeAsync(string paymentId, string status, string? chargeId, string? declineCode, CancellationToken cancellationToken) =>
            database.ExecuteAsync(SqlStatement.Create(
                "UPDATE", "payments",
                "UPDATE payments SET status = $status, provider_charge_id = $charge, decline_code = $decline WHERE id = $id",
                ("$status", status), ("$charge", (object?)chargeId ?? DBNull.Value), ("$decline", (object?)declineCode ?? DBNull.Value), ("$id", paymentId)), cancellationToken);
    }
}
