using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Threadline.UiTests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Threadline.UiTests;

/// <summary>The Search and Trace pages driven as a user would, and span data that holds HTML.</summary>
[Collection(UiCollection.Name)]
public sealed class TraceJourneyTests(UiEnvironment ui)
{
    [Fact]
    public async Task Search_open_trace_collapse_expand_detail_and_follow_a_link()
    {
        var traces = ui.Traces;
        await using var tab = await ui.OpenAsync("/search?service=refunds");
        var result = tab.Page.Locator("table.results tbody tr", new() { HasText = "refunds: process refund" });
        await Expect(result).ToHaveCountAsync(1);
        await tab.ScreenshotAsync("search");
        await result.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex($"/trace/{traces.LinkingTraceId}"));

        var rows = tab.Page.Locator("[role='tree'] [role='treeitem']");
        var root = rows.Filter(new() { HasText = "process refund" });
        var child = rows.Filter(new() { HasText = "store refund" });
        await Expect(child).ToBeVisibleAsync();

        await root.GetByRole(AriaRole.Button, new() { Name = "Collapse" }).ClickAsync();
        await Expect(root).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(child).ToHaveCountAsync(0);
        await root.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Expand") }).ClickAsync();
        await Expect(root).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(child).ToBeVisibleAsync();

        await root.ClickAsync();
        var detail = tab.Page.GetByRole(AriaRole.Complementary, new() { Name = "Span detail" });
        await Expect(detail.Locator("h2")).ToHaveTextAsync("process refund");
        await Expect(detail).ToContainTextAsync("messaging.destination.name");
        await tab.ScreenshotAsync("trace-with-detail");

        // The link names the failed checkout that caused the refund: following it opens that trace.
        await detail.Locator("ul.links").GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex($"/trace/{traces.ErrorTraceId}"));
        await Expect(tab.Page.Locator("main h1")).ToContainTextAsync("frontend: GET /checkout");
        await Expect(tab.Page.Locator("[role='tree'] [role='treeitem']").Filter(new() { HasText = "charge" }).First).ToBeVisibleAsync();
        await tab.ScreenshotAsync("trace-linked");
        tab.AssertClean();
    }

    [Fact]
    public async Task Collapsing_a_parent_of_the_long_trace_hides_its_children()
    {
        await using var tab = await ui.OpenAsync($"/trace/{ui.Traces.LongTraceId}");
        var rows = tab.Page.Locator("[role='tree'] [role='treeitem']");
        var page0 = rows.Filter(new() { Has = tab.Page.GetByText("load page 0", new() { Exact = true }) });
        await Expect(page0).ToBeVisibleAsync();
        await Expect(tab.Page.Locator(".trace-header")).ToContainTextAsync($"{1 + UiFixtureTraces.LongTracePages * (1 + UiFixtureTraces.LongTraceItemsPerPage):N0}");
        // Expanded, the row drawn right below the page is its first item.
        await Expect(page0.Locator("xpath=following-sibling::*[1]")).ToContainTextAsync("upsert item");

        await page0.GetByRole(AriaRole.Button, new() { Name = "Collapse" }).ClickAsync();
        await Expect(page0).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page0).ToContainTextAsync($"+{UiFixtureTraces.LongTraceItemsPerPage}");
        // Collapsed, the next page comes right below it instead of its items.
        await Expect(page0.Locator("xpath=following-sibling::*[1]")).ToContainTextAsync("load page 1");
        await tab.ScreenshotAsync("trace-long-collapsed");
        tab.AssertClean();
    }

    [Fact]
    public async Task Attribute_values_holding_html_show_as_text_and_never_run()
    {
        await using var tab = await ui.OpenAsync($"/trace/{ui.Traces.HostileTraceId}");
        await tab.Page.Locator("[role='tree'] [role='treeitem']", new() { HasText = "render note" }).ClickAsync();
        var detail = tab.Page.GetByRole(AriaRole.Complementary, new() { Name = "Span detail" });
        await Expect(detail.GetByText(UiFixtureTraces.HostileScript, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(detail.GetByText(UiFixtureTraces.HostileImage, new() { Exact = true })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("hostile-attribute");

        // Neither value became an element: no image with src=x, no script holding the payload.
        Assert.Equal(0, await tab.Page.Locator("img[src='x']").CountAsync());
        Assert.False(await tab.Page.EvaluateAsync<bool>("() => [...document.scripts].some((s) => s.textContent.includes('alert(1)'))"));
        Assert.Equal(0, await tab.Page.Locator("[onerror]").CountAsync());
        Assert.Empty(tab.Dialogs);
        tab.AssertClean();
    }
}
