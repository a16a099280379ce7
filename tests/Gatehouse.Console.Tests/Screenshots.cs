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
    /// The whole page, left scrolled where it was. Chromium captures a full page by growing the viewport
    /// to the page's height and shrinking it back, and can come back scrolled elsewhere (645 px down for
    /// 289 on the certificate form) while its scroll anchor still holds the old place: the next layout,
    /// such as the one a mousedown causes by moving focus, jumps back, and a click taken next misses what
    /// it aimed at (the mouseup lands elsewhere, so no click fires). Scrolling back to where the page was
    /// puts it there and, being a scroll, drops the stale anchor.
    /// </summary>
    public async Task TakeAsync(IPage page, string what)
    {
        var scroll = await page.EvaluateAsync<double[]>("() => [window.scrollX, window.scrollY]");
        await CaptureAsync(page, what);
        await page.EvaluateAsync("([x, y]) => window.scrollTo(x, y)", scroll);
    }

    private async Task CaptureAsync(IPage page, string what)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{++_count:00}-{what}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
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
            // What the page showed as it failed; it need not be scrolled back, and may be between pages.
            await CaptureAsync(page, "failure");
            TestContext.Current.SendDiagnosticMessage($"Page at {page.Url}; browser console errors: " + string.Join(" | ", errors));
            TestContext.Current.AddAttachment("browser-console", string.Join("\n", errors));
            throw;
        }
    }
}
