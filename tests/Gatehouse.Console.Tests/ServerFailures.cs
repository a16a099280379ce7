using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// Makes one API path answer 500 to the browser, for a page's error state. Storage cannot be made to
/// fail for one path without faking it, and stopping the app would fail every path at once (and sign
/// the page out on the next load); the browser's own network answering as a failing server does is
/// the honest stand-in: the page's code, its fetch and its rendering of the answer are all real.
/// </summary>
internal static class ServerFailures
{
    public const string Detail = "storage is unavailable";

    /// <summary>
    /// Until disposed, <paramref name="method"/> requests whose path ends with <paramref name="pathEnd"/>
    /// (before any query) get a Konnect-shaped 500 with <see cref="Detail"/>; the rest go to the app.
    /// </summary>
    public static async Task<IAsyncDisposable> FailAsync(IPage page, string pathEnd, string method = "GET")
    {
        var url = new Regex(Regex.Escape(pathEnd) + @"(\?.*)?$");
        Func<IRoute, Task> handler = route => route.Request.Method == method
            ? route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 500,
                ContentType = "application/problem+json",
                Body = $$"""{"status":500,"title":"Internal Server Error","detail":"{{Detail}}"}""",
            })
            : route.ContinueAsync();
        await page.RouteAsync(url, handler);
        return new Restore(() => page.UnrouteAsync(url, handler));
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}
