using System.Text.Json;
using Microsoft.Playwright;

namespace Threadline.UiBench;

/// <summary>
/// Timing taken inside the page, on the browser's own clock (performance.now(), from navigation start):
/// when an element first appears (a MutationObserver), when the main thread is next free after that
/// (a task, then a frame: a page busy parsing or rendering cannot answer input before it), and
/// requestAnimationFrame deltas while the benchmark scrolls or collapses.
/// </summary>
internal static class PageProbe
{
    /// <summary>
    /// The script every page of the benchmark starts with; <paramref name="watches"/> maps a mark name to a JavaScript
    /// condition on the document (checked on every DOM change), e.g. <c>document.querySelector('table tr')</c>.
    /// </summary>
    public static string InitScript(IReadOnlyDictionary<string, string> watches) => $$"""
        (() => {
          const watches = { {{string.Join(", ", watches.Select(w => $"{JsonSerializer.Serialize(w.Key)}: () => ({w.Value})"))}} };
          const probe = window.__uiBench = { seen: {}, free: {}, frames: null, maxFrame: 0 };
          const check = () => {
            for (const [name, holds] of Object.entries(watches)) {
              if (name in probe.seen || !holds()) continue;
              probe.seen[name] = performance.now();
              setTimeout(() => requestAnimationFrame((t) => { probe.free[name] = t; }), 0);
            }
          };
          new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
          probe.startFrames = () => {
            probe.frames = [];
            let last = performance.now();
            const loop = (t) => {
              if (!probe.frames) return;
              probe.frames.push(t - last);
              last = t;
              requestAnimationFrame(loop);
            };
            requestAnimationFrame(loop);
          };
          probe.stopFrames = () => { const frames = probe.frames ?? []; probe.frames = null; return frames; };
          probe.nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
          probe.resourceStart = (part) => {
            const entry = performance.getEntriesByType('resource').find((e) => e.name.includes(part));
            return entry ? entry.startTime : null;
          };
        })();
        """;

    public static async Task<double> WaitForMarkAsync(IPage page, string name, TimeSpan timeout)
    {
        await page.WaitForFunctionAsync($"() => window.__uiBench && window.__uiBench.free[{JsonSerializer.Serialize(name)}] !== undefined", null,
            new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 20 });
        return await page.EvaluateAsync<double>($"() => window.__uiBench.seen[{JsonSerializer.Serialize(name)}]");
    }

    public static Task<double> FreeAfterAsync(IPage page, string name) =>
        page.EvaluateAsync<double>($"() => window.__uiBench.free[{JsonSerializer.Serialize(name)}]");

    public static Task StartFramesAsync(IPage page) => page.EvaluateAsync("() => window.__uiBench.startFrames()");

    public static async Task<double[]> StopFramesAsync(IPage page) => await page.EvaluateAsync<double[]>("() => window.__uiBench.stopFrames()");

    public static Task NextFrameAsync(IPage page) => page.EvaluateAsync("() => window.__uiBench.nextFrame()");

    /// <summary>When the first request whose URL holds <paramref name="urlPart"/> was sent, on the page's clock.</summary>
    public static Task<double?> ResourceStartAsync(IPage page, string urlPart) =>
        page.EvaluateAsync<double?>($"() => window.__uiBench.resourceStart({JsonSerializer.Serialize(urlPart)})");
}
