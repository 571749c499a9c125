using Microsoft.Playwright;

namespace Threadline.UiBench;

/// <summary>The search page: from the moment its query leaves the page to the first result row drawn, timed in the page.</summary>
internal static class SearchPageBench
{
    public const string ResultRowSelector = "table.results tbody tr";

    public static async Task<double> FirstResultsAsync(IBrowserContext browser, Uri server, string service)
    {
        var page = await browser.NewPageAsync();
        try
        {
            await page.AddInitScriptAsync(PageProbe.InitScript(new Dictionary<string, string> { ["results"] = $"document.querySelector('{ResultRowSelector}')" }));
            // The search fields live in the URL, so opening it sends the query.
            await page.GotoAsync(new Uri(server, $"/search?service={Uri.EscapeDataString(service)}").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var shown = await PageProbe.WaitForMarkAsync(page, "results", TimeSpan.FromSeconds(60));
            var sent = await PageProbe.ResourceStartAsync(page, "/api/v1/search")
                ?? throw new InvalidOperationException("The search page showed results without a request to /api/v1/search.");
            return shown - sent;
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
