using Microsoft.Playwright;

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

    /// <summary>Runs a test's steps, and on failure saves what the page showed then before rethrowing.</summary>
    public async Task RunAsync(IPage page, Func<Task> steps)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        try
        {
            await steps();
        }
        catch
        {
            // What the page showed as it failed, which may be between pages.
            await TakeAsync(page, "failure");
            TestContext.Current.SendDiagnosticMessage($"Page at {page.Url}; browser console errors: " + string.Join(" | ", errors));
            TestContext.Current.AddAttachment("browser-console", string.Join("\n", errors));
            throw;
        }
    }
}
