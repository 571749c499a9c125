using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Threadline.Demo.Services;

/// <summary>
/// third-party: stand-ins for the external APIs the shop calls, a card payment provider and an LLM
/// provider, on 127.0.0.1. Untraced, like a real third party: callers see them only through their own
/// client spans. Latencies are log-normal around what such APIs typically take.
/// </summary>
internal sealed class ThirdPartyService : Hosting.ServiceApplication
{
    /// <summary>The card token the provider always declines, as payment providers' test tokens do.</summary>
    public const string DeclinedCardToken = "tok_chargeDeclined";

    private const string ServedModel = RecommendationClient.Model + "-2024-07-18";

    private static readonly string[] Suggestions =
        ["blister plasters", "running cap", "foam roller", "trail gaiters", "electrolyte tabs", "compression sleeves", "sunglasses"];

    public override string Name => DemoServiceNames.ThirdParty;

    public override bool IsTraced => false;

    public override void MapEndpoints(WebApplication app)
    {
        app.MapPost("/v1/charges", ChargeAsync);
        app.MapPost("/v1/chat/completions", CompleteChatAsync);
    }

    private static async Task<IResult> ChargeAsync(ProviderChargeRequest charge, CancellationToken cancellationToken)
    {
        await SimulatedWork.DelayAsync(90, 0.5, cancellationToken).ConfigureAwait(false);
        if (charge.Source == DeclinedCardToken)
        {
            return Results.Json(
                new ProviderErrorBody(new ProviderError("card_declined", "insufficient_funds", "Your card has insufficient funds.")),
                statusCode: StatusCodes.Status402PaymentRequired);
        }
        return Results.Ok(new ProviderCharge("ch_" + Guid.NewGuid().ToString("n")[..16], "succeeded"));
    }

    private static async Task<IResult> CompleteChatAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        // Roughly four characters per token, as for English text.
        var promptTokens = request.Messages.Sum(m => m.Content.Length) / 4 + 3 * request.Messages.Length;
        var answer = string.Join('\n', Suggestions.OrderBy(_ => Random.Shared.Next()).Take(3));
        var completionTokens = Math.Min(request.MaxTokens, 20 + Random.Shared.Next(60));
        var finishReason = completionTokens == request.MaxTokens ? "length" : "stop";
        // Generation time grows with the output, as it does for real models.
        await SimulatedWork.DelayAsync(120 + completionTokens * 3, 0.45, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new ChatCompletion(
            "chatcmpl-" + Guid.NewGuid().ToString("n")[..20],
            ServedModel,
            [new ChatChoice(0, new ChatMessage("assistant", answer), finishReason)],
            new ChatUsage(promptTokens, completionTokens, promptTokens + completionTokens)));
    }
}
