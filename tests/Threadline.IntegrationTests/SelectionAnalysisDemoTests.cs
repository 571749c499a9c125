using System.Text.Json;
using Xunit.Abstractions;

namespace Threadline.IntegrationTests;

/// <summary>
/// Triage and GenAI summaries through the real server, filled by the real demo (a quarter of its
/// checkouts have a declined card; every order asks an LLM for recommendations).
/// </summary>
public sealed class SelectionAnalysisDemoTests(DemoRun run, ITestOutputHelper output) : IClassFixture<DemoRun>
{
    private const int Declined = DemoRun.Checkouts / 4;

    [Fact]
    public async Task Triage_of_failed_card_charges_puts_the_decline_reason_at_the_top()
    {
        using var triage = await Eventually.GetAsync(
            () => run.Server.Api.GetJsonAsync("/api/v1/triage?selection=error&service=payment-service&operation=" + Uri.EscapeDataString("charge card")),
            json => Population(json, "selection") == Declined && Population(json, "baseline") == DemoRun.Checkouts - Declined,
            "every charge of the demo");
        output.WriteLine(triage.RootElement.ToString());

        var attributes = triage.RootElement.GetProperty("attributes").EnumerateArray().ToList();
        var decline = attributes.Single(a => a.GetProperty("key").GetString() == "payment.decline_reason");
        Assert.Equal("insufficient_funds", decline.GetProperty("value").GetString());
        Assert.Equal((100.0, 0.0), (decline.GetProperty("selectionPercent").GetDouble(), decline.GetProperty("baselinePercent").GetDouble()));
        // A perfect separator: nothing can rank above it.
        Assert.Equal(1.0, decline.GetProperty("score").GetDouble());
        Assert.Equal(1.0, attributes[0].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Triage_of_the_payment_service_errors_ranks_the_decline_reason_among_the_top_scores()
    {
        using var triage = await Eventually.GetAsync(
            () => run.Server.Api.GetJsonAsync("/api/v1/triage?selection=error&service=payment-service"),
            json => json.RootElement.GetProperty("attributes").EnumerateArray().Any(a => a.GetProperty("key").GetString() == "payment.decline_reason"),
            "the declined charges");
        output.WriteLine(triage.RootElement.ToString());

        var attributes = triage.RootElement.GetProperty("attributes").EnumerateArray().ToList();
        var decline = attributes.Single(a => a.GetProperty("key").GetString() == "payment.decline_reason");
        Assert.Equal(attributes[0].GetProperty("score").GetDouble(), decline.GetProperty("score").GetDouble());
        Assert.Equal(0.0, decline.GetProperty("baselinePercent").GetDouble());
    }

    [Fact]
    public async Task GenAI_summary_counts_one_recommendation_chat_per_order()
    {
        // Every checkout creates its order (and asks for recommendations) before the card is charged.
        using var genAi = await Eventually.GetAsync(
            () => run.Server.Api.GetJsonAsync("/api/v1/genai"),
            json => json.RootElement.GetProperty("models").EnumerateArray().Sum(m => m.GetProperty("calls").GetInt64()) == DemoRun.Checkouts,
            "the recommendation calls");
        output.WriteLine(genAi.RootElement.ToString());

        var model = Assert.Single(genAi.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal(("openai", "gpt-4o-mini", "chat"), (model.GetProperty("system").GetString(), model.GetProperty("model").GetString(), model.GetProperty("operation").GetString()));
        Assert.True(model.GetProperty("inputTokens").GetInt64() > 0);
        Assert.True(model.GetProperty("outputTokens").GetInt64() > 0);
        Assert.Equal(["order-service"], model.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
    }

    private static long Population(JsonDocument json, string name) => json.RootElement.GetProperty(name).GetProperty("spanCount").GetInt64();
}
