using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Threadline.UiTests;

/// <summary>Every page, opened directly by its URL, finishes loading without a console error, uncaught exception or error panel.</summary>
[Collection(UiCollection.Name)]
public sealed class PagesLoadTests(UiEnvironment ui)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "search", "/search" },
        { "trace", "/trace/{error}" },
        { "map", "/map" },
        { "services", "/services" },
        { "service", "/services/checkout" },
        { "compare", "/compare?left={left}&right={right}" },
        { "compare-typical", "/compare?left={left}&right=typical" },
        { "triage", "/triage?service=checkout&selection=error" },
        { "genai", "/genai" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_loads_without_errors(string name, string path)
    {
        var url = path
            .Replace("{error}", ui.Traces.ErrorTraceId, StringComparison.Ordinal)
            .Replace("{left}", ui.Traces.CompareLeftTraceId, StringComparison.Ordinal)
            .Replace("{right}", ui.Traces.CompareRightTraceId, StringComparison.Ordinal);
        await using var tab = await ui.OpenAsync(url);
        await Expect(tab.Page.Locator("main section").First).ToBeVisibleAsync();
        // Loaded: no skeleton left, and no request failed into an error panel.
        await Expect(tab.Page.Locator("[aria-busy='true']")).ToHaveCountAsync(0);
        await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(tab.Page.Locator(".error-panel")).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("page-" + name);
        tab.AssertClean();
    }
}
