using Microsoft.Playwright;
using Xunit.Sdk;

namespace Gatehouse.Console.Tests;

/// <summary>
/// Saves what the browser showed as test output, in TestResults/screenshots/{test}/ under the test's
/// output folder (bin/, not committed), numbered in the order they were taken.
/// </summary>
internal sealed class Screenshots
{
    private int _count;

    public Screenshots(string test)
    {
        Directory = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", test);
        // Only this run's pictures: an earlier run's would read as this one's.
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public string Directory { get; }

    /// <summary>
    /// What the viewport shows. Not the whole page: Chromium captures beyond the viewport by resizing
    /// the page's frame for the shot (Page.captureScreenshot with captureBeyondViewport), which costs
    /// about 0.7 s a shot here and has side effects: it came back scrolled elsewhere with a stale scroll
    /// anchor, and a CI run's one failed click came right after one, waiting 20 s for its enabled button
    /// to be "stable" (Playwright compares its box over two animation frames, so the page drew none in that time).
    /// A viewport shot reads the frame the page already draws.
    /// </summary>
    public async Task TakeAsync(IPage page, string what)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{++_count:00}-{what}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        TestContext.Current.AddAttachment(what, path);
    }

    /// <summary>
    /// Runs a test's steps, and on failure saves what the page showed then and says, with the
    /// failure, where the page was, whether it still drew frames, what its console logged and its
    /// last calls to the API.
    /// </summary>
    public async Task RunAsync(IPage page, Func<Task> steps)
    {
        var calls = new PageCalls(page);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        try
        {
            await steps();
        }
        catch (Exception failure)
        {
            var frames = await FramesAsync(page);
            try
            {
                // What the page showed as it failed, which may be between pages.
                await TakeAsync(page, "failure");
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                frames += $"; no failure screenshot ({e.Message})";
            }
            TestContext.Current.AddAttachment("browser-console", string.Join("\n", errors));
            throw new XunitException(
                $"{failure.Message}\n(page at {page.Url}; {frames}; browser console errors: {string.Join(" | ", errors)})\nthe page's last calls:\n{await calls.LastAsync()}", failure);
        }
    }

    /// <summary>
    /// Whether the page still draws animation frames. A click waits for its element to be "stable"
    /// over two of them, so a page that stopped drawing fails a click with nothing else to show.
    /// </summary>
    private static async Task<string> FramesAsync(IPage page)
    {
        const string TwoFrames = "() => new Promise(done => { const late = setTimeout(() => done(false), 2000); "
            + "requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(late); done(true); })); })";
        try
        {
            return await page.EvaluateAsync<bool>(TwoFrames).WaitAsync(TimeSpan.FromSeconds(5)) ? "drawing frames" : "no animation frame in 2 s";
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return $"frames unknown ({e.GetType().Name})";
        }
    }
}
