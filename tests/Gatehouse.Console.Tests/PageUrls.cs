using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

internal static class PageUrls
{
    /// <summary>
    /// Waits until the page's URL ends with <paramref name="path"/>. Polled: the console's router
    /// navigates on the client, and under load (CI) a navigation can land before
    /// <c>WaitForURLAsync</c> subscribes to it, which then waits out its timeout for one already made.
    /// </summary>
    public static Task ArrivesAtAsync(this IPage page, string path) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"));
}
