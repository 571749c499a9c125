using Microsoft.Playwright;

namespace Threadline.UiTests;

/// <summary>
/// A browser tab whose console errors, uncaught exceptions and dialogs are recorded, so a test can assert that a
/// page loaded cleanly and that no span data ran as script.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];
    private readonly List<string> _dialogs = [];

    public WatchedPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (_errors) _errors.Add($"console: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => { lock (_errors) _errors.Add($"uncaught: {error}"); };
        page.Dialog += async (_, dialog) =>
        {
            lock (_dialogs) _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors { get { lock (_errors) return [.. _errors]; } }

    public IReadOnlyList<string> Dialogs { get { lock (_dialogs) return [.. _dialogs]; } }

    /// <summary>Saves the tab as <c>artifacts/ui-screenshots/{name}.png</c>.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(UiEnvironment.ScreenshotDirectory, name + ".png"), FullPage = true });

    public void AssertClean()
    {
        Assert.True(Errors.Count == 0, $"The page {Page.Url} logged errors:\n{string.Join('\n', Errors)}");
        Assert.True(Dialogs.Count == 0, $"The page {Page.Url} opened dialogs:\n{string.Join('\n', Dialogs)}");
    }

    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}
