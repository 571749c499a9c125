using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Threadline.UiTests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Threadline.UiTests;

/// <summary>The service map, service page, compare, triage and GenAI pages against the fixture traces.</summary>
[Collection(UiCollection.Name)]
public sealed class AnalysisPagesTests(UiEnvironment ui)
{
    [Fact]
    public async Task Map_click_on_a_service_opens_its_service_page()
    {
        await using var tab = await ui.OpenAsync("/map");
        var checkout = tab.Page.Locator("[data-node='checkout']");
        await Expect(checkout).ToBeVisibleAsync();
        // The edge from frontend to checkout carries its figures as text.
        await Expect(tab.Page.Locator("[data-edge='frontend→checkout'] text")).ToContainTextAsync("err · p95");
        await Expect(tab.Page.Locator("[data-node='db:postgresql/shop']")).ToContainTextAsync("database");
        await tab.ScreenshotAsync("service-map");

        await checkout.ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/services/checkout"));
        await Expect(tab.Page.Locator("h1")).ToContainTextAsync("checkout");
        await Expect(tab.Page.Locator(".operations-table")).ToContainTextAsync("POST /pay");
        await Expect(tab.Page.Locator(".trace-lists")).ToContainTextAsync("checkout: POST /pay");
        await Expect(tab.Page.Locator(".red-charts canvas").First).ToBeVisibleAsync();
        await tab.ScreenshotAsync("service-page");
        tab.AssertClean();
    }

    [Fact]
    public async Task Compare_shows_the_added_and_changed_operations_of_two_similar_traces()
    {
        var traces = ui.Traces;
        await using var tab = await ui.OpenAsync("/compare");
        await tab.Page.GetByLabel("Left trace").FillAsync(traces.CompareLeftTraceId);
        await tab.Page.GetByLabel("Right trace").FillAsync(traces.CompareRightTraceId);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();

        await Expect(tab.Page).ToHaveURLAsync(new Regex($"left={traces.CompareLeftTraceId}&right={traces.CompareRightTraceId}"));
        var table = tab.Page.Locator(".compare-table");
        await Expect(table.Locator("tr[data-change='added']")).ToContainTextAsync("cache lookup");
        await Expect(table.Locator("tr[data-change='changed']")).ToContainTextAsync("SELECT cart");
        await Expect(tab.Page.Locator(".compare-sides")).ToContainTextAsync(traces.CompareRightTraceId);
        await tab.ScreenshotAsync("compare");
        tab.AssertClean();
    }

    [Fact]
    public async Task Triage_ranks_the_planted_attribute_first_and_a_click_searches_for_it()
    {
        await using var tab = await ui.OpenAsync("/triage?service=checkout&operation=POST+%2Fpay&selection=error");
        var first = tab.Page.Locator(".triage-table tbody tr").First;
        await Expect(first).ToContainTextAsync($"span.{UiFixtureTraces.TriageKey} = \"{UiFixtureTraces.TriageValue}\"");
        await tab.ScreenshotAsync("triage");
        tab.AssertClean();

        await first.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/search\\?"));
        var query = new Uri(tab.Page.Url).Query;
        Assert.Contains(UiFixtureTraces.TriageValue, Uri.UnescapeDataString(query.Replace('+', ' ')), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenAi_lists_the_fixture_model_with_its_calls_and_tokens()
    {
        await using var tab = await ui.OpenAsync("/genai");
        var row = tab.Page.Locator(".genai-table tbody tr", new() { HasText = UiFixtureTraces.GenAiModel });
        await Expect(row).ToContainTextAsync("openai");
        // Six calls of 120 input and 80 output tokens each, one of them failed.
        await Expect(row).ToContainTextAsync("720 / 480");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("6");
        await Expect(row.Locator("td").Nth(5)).ToContainTextAsync("1 (16.7%)");
        await tab.ScreenshotAsync("genai");
        tab.AssertClean();
    }

    [Fact]
    public async Task A_failing_api_shows_what_failed_and_retry_loads_the_page()
    {
        var page = await ui.Browser.NewPageAsync();
        try
        {
            // The store is unavailable for the first request: the page must say so and offer to retry.
            var failures = 0;
            await page.RouteAsync("**/api/v1/service-graph*", async route =>
            {
                if (Interlocked.Increment(ref failures) == 1)
                {
                    await route.FulfillAsync(new RouteFulfillOptions
                    {
                        Status = 503,
                        ContentType = "application/json; charset=utf-8",
                        Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                        Body = "{\"error\":\"The store is unavailable.\"}",
                    });
                }
                else
                {
                    await route.ContinueAsync();
                }
            });
            await page.GotoAsync(new Uri(ui.BaseAddress, "/map").ToString());
            var panel = page.GetByRole(AriaRole.Alert);
            await Expect(panel).ToContainTextAsync("Could not load the service graph.");
            await Expect(panel).ToContainTextAsync("The store is unavailable (503)");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
            await Expect(page.Locator("[data-node='checkout']")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
