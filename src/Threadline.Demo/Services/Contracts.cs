using System.Text.Json.Serialization;

namespace Threadline.Demo.Services;

// The JSON bodies the services exchange. Amounts are in cents: money is never a double.

internal sealed record CartItem(string Sku, int Quantity, long UnitPriceCents);

internal sealed record CheckoutRequest(string UserId, string UserTier, CartItem[] Items, string PaymentToken, string Currency);

internal sealed record CheckoutResponse(string OrderId, string Status, long AmountCents, string[] Recommendations, string? DeclineReason);

internal sealed record CreateOrderRequest(string OrderId, string UserId, CartItem[] Items, string Currency);

internal sealed record CreateOrderResponse(string OrderId, long AmountCents, string[] Recommendations);

internal sealed record ConfirmOrderRequest(string PaymentId);

internal sealed record CancelOrderRequest(string Reason);

internal sealed record ReservationRequest(string OrderId, CartItem[] Items);

internal sealed record ReservationResponse(string OrderId, int ReservedUnits, bool CheckedAllWarehouses);

internal sealed record PaymentRequest(string OrderId, long AmountCents, string Currency, string PaymentToken);

internal sealed record PaymentResponse(string Status, string? PaymentId, string? DeclineReason);

/// <summary>The notification order-service publishes once an order is paid.</summary>
internal sealed record OrderConfirmed(string OrderId, string UserId, long AmountCents, string Currency);

// The third party's APIs use snake_case, as the real ones they imitate do.

internal sealed record ProviderChargeRequest(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("idempotency_key")] string IdempotencyKey);

internal sealed record ProviderCharge(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status);

internal sealed record ProviderErrorBody([property: JsonPropertyName("error")] ProviderError Error);

internal sealed record ProviderError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("decline_code")] string? DeclineCode,
    [property: JsonPropertyName("message")] string Message);

internal sealed record ChatMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

internal sealed record ChatCompletionRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] ChatMessage[] Messages,
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("max_tokens")] int MaxTokens);

internal sealed record ChatChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] ChatMessage Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason);

internal sealed record ChatUsage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens);

internal sealed record ChatCompletion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] ChatChoice[] Choices,
    [property: JsonPropertyName("usage")] ChatUsage Usage);
