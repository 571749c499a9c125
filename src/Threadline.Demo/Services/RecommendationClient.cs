using System.Diagnostics;
using System.Net.Http.Json;
using Threadline.Demo.Hosting;
using Threadline.Sdk;

namespace Threadline.Demo.Services;

/// <summary>
/// Asks the (fake) LLM provider for "customers also bought" suggestions, with a CLIENT span that follows
/// the GenAI semantic conventions. Recommendations are optional: a failure leaves them out, never the order.
/// </summary>
internal sealed class RecommendationClient(HttpClient http, PeerDirectory peers)
{
    public const string Model = "gpt-4o-mini";
    private const string Provider = "openai";
    private const double Temperature = 0.7;
    private const int MaxTokens = 256;

    public async Task<string[]> SuggestAsync(IReadOnlyList<CartItem> items, CancellationToken cancellationToken)
    {
        var endpoint = peers.Resolve(DemoServiceNames.ThirdParty, "/v1/chat/completions");
        using var span = DemoTelemetry.GenAI.StartSpan(
            "chat " + Model,
            ActivityKind.Client,
            [
                new("gen_ai.operation.name", "chat"),
                new("gen_ai.provider.name", Provider),
                new("gen_ai.request.model", Model),
                new("gen_ai.request.temperature", Temperature),
                new("gen_ai.request.max_tokens", (long)MaxTokens),
                new("server.address", endpoint.Host),
                new("server.port", (long)endpoint.Port),
            ]);

        // The prompt names products only, and is not recorded on the span: prompts and completions can
        // carry personal data, which the conventions leave to an explicit opt-in.
        var prompt = "Suggest three products that go with: " + string.Join(", ", items.Select(i => i.Sku));
        var request = new ChatCompletionRequest(
            Model,
            [new ChatMessage("system", "You are a shop assistant. Answer with product names, one per line."), new ChatMessage("user", prompt)],
            Temperature,
            MaxTokens);
        try
        {
            using var response = await http.PostAsJsonAsync(endpoint, request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                span.SetAttribute("error.type", ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                span.SetSpanStatus(ActivityStatusCode.Error, $"the LLM provider answered {(int)response.StatusCode}");
                return [];
            }
            var completion = await response.Content.ReadFromJsonAsync<ChatCompletion>(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException("The LLM provider sent an empty body.");
            span.SetAttribute("gen_ai.response.id", completion.Id);
            span.SetAttribute("gen_ai.response.model", completion.Model);
            span.SetAttribute("gen_ai.usage.input_tokens", (long)completion.Usage.PromptTokens);
            span.SetAttribute("gen_ai.usage.output_tokens", (long)completion.Usage.CompletionTokens);
            span.SetAttribute("gen_ai.response.finish_reasons", completion.Choices.Select(c => c.FinishReason).ToArray());
            return completion.Choices.Length == 0
                ? []
                : completion.Choices[0].Message.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidDataException or System.Text.Json.JsonException
                                              or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            span.RecordException(exception);
            span.SetAttribute("error.type", exception.GetType().FullName);
            span.SetSpanStatus(ActivityStatusCode.Error, exception.Message);
            return [];
        }
    }
}
