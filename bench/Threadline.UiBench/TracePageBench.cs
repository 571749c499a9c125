using Microsoft.Playwright;

namespace Threadline.UiBench;

/// <summary>The trace page on one large trace: time to interactive, frame times while scrolling and collapsing, time to load it whole.</summary>
internal static class TracePageBench
{
    /// <summary>A waterfall row: the trace page draws the spans as a tree of treeitems.</summary>
    public const string RowSelector = "[role='tree'] [role='treeitem']";

    /// <summary>The trace page's header says "N of M (loading…)" until the last outline chunk is in.</summary>
    private const string Loaded = "(() => { const facts = document.querySelector('.trace-header .facts'); return facts !== null && !facts.textContent.includes('loading'); })()";

    public static async Task<List<(string Name, double Value)>> MeasureAsync(IBrowserContext browser, Uri server, WideTrace trace)
    {
        var page = await browser.NewPageAsync();
        try
        {
            await page.AddInitScriptAsync(PageProbe.InitScript(new Dictionary<string, string> { ["rows"] = $"document.querySelector(\"{RowSelector}\")", ["loaded"] = Loaded }));
            await page.GotoAsync(new Uri(server, $"/trace/{trace.TraceId}").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var figures = new List<(string, double)>();

            var rows = await PageProbe.WaitForMarkAsync(page, "rows", TimeSpan.FromSeconds(60));
            var interactive = await PageProbe.FreeAfterAsync(page, "rows");
            figures.Add(("first rows rendered, ms", rows));
            figures.Add(("interactive (first rows, then the main thread free), ms", interactive));
            figures.Add(("input response (keydown to next frame), ms", await KeyResponseAsync(page)));

            // While the rest streams in, the tab must keep drawing frames.
            await PageProbe.StartFramesAsync(page);
            var loaded = await PageProbe.WaitForMarkAsync(page, "loaded", TimeSpan.FromMinutes(3));
            var loadingFrames = await PageProbe.StopFramesAsync(page);
            figures.Add(("whole trace loaded, ms", loaded));
            figures.Add(("longest frame while loading, ms", loadingFrames.DefaultIfEmpty(0).Max()));

            await PageProbe.StartFramesAsync(page);
            var tree = page.Locator("[role='tree']").First;
            await tree.HoverAsync();
            for (var i = 0; i < 30; i++)
            {
                await page.Mouse.WheelAsync(0, 1200);
                await PageProbe.NextFrameAsync(page);
            }
            var scrollFrames = await PageProbe.StopFramesAsync(page);
            figures.Add(("scroll frame p95, ms", Percentile(scrollFrames, 0.95)));
            figures.Add(("scroll frame max, ms", scrollFrames.DefaultIfEmpty(0).Max()));

            // Collapse and expand the root (the whole tree) and a few inner spans.
            await tree.PressAsync("Home");
            await PageProbe.StartFramesAsync(page);
            for (var i = 0; i < 3; i++)
            {
                var toggle = page.Locator($"{RowSelector} button.toggle").Nth(i);
                await toggle.ClickAsync();
                await PageProbe.NextFrameAsync(page);
                await page.Locator($"{RowSelector} button.toggle").Nth(i).ClickAsync();
                await PageProbe.NextFrameAsync(page);
            }
            var collapseFrames = await PageProbe.StopFramesAsync(page);
            figures.Add(("collapse/expand frame p95, ms", Percentile(collapseFrames, 0.95)));
            figures.Add(("collapse/expand frame max, ms", collapseFrames.DefaultIfEmpty(0).Max()));
            return figures;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>From a key press on the waterfall to the next frame the page draws, timed in the page.</summary>
    private static async Task<double> KeyResponseAsync(IPage page)
    {
        await page.EvaluateAsync("""
            () => {
              window.__uiBench.key = null;
              window.addEventListener('keydown', (e) => {
                const pressed = e.timeStamp;
                // The frame's own timestamp is when it began, which may be before the event: read the clock inside it.
                requestAnimationFrame(() => { window.__uiBench.key = performance.now() - pressed; });
              }, { once: true, capture: true });
            }
            """);
        await page.Locator(RowSelector).First.ClickAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.WaitForFunctionAsync("() => window.__uiBench.key !== null", null, new PageWaitForFunctionOptions { PollingInterval = 10 });
        return await page.EvaluateAsync<double>("() => window.__uiBench.key");
    }

    private static double Percentile(double[] values, double quantile)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }
}
