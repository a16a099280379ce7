using System.Net;
using System.Net.Http.Headers;
using Gatehouse.Testing;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The console's files at /, index.html for its client routes, and the API's paths left to the API:
/// their 404s stay JSON in their own dialect, never the console's page.
/// </summary>
public sealed class ConsoleServingTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_root_and_client_routes_answer_with_the_console_and_its_assets_are_served()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var client = new HttpClient { BaseAddress = app.Address };

        var root = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        var index = await root.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<div id=\"app\"></div>", index);

        var deep = await client.GetAsync("/control-planes/6f1e0c5e-0000-4000-8000-000000000000/routes", Ct);
        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        Assert.Equal(index, await deep.Content.ReadAsStringAsync(Ct));
        Assert.Equal("no-cache", deep.Headers.CacheControl?.ToString());

        // Every script index.html names is served, named by its hash and so cached for good.
        var scripts = System.Text.RegularExpressions.Regex.Matches(index, "src=\"(/assets/[^\"]+\\.js)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            var asset = await client.GetAsync(script, Ct);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", asset.Headers.CacheControl?.ToString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/no-such-file.js", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/control-planes", null, Ct)).StatusCode);

        // Unauthenticated, what the sign-in page needs: without Entra ID settings, only a pasted token.
        var settings = await client.GetAsync("/console/config.json", Ct);
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Equal("""{"entra_id":null}""", await settings.Content.ReadAsStringAsync(Ct));
        Assert.Equal("no-cache", settings.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_apis_paths_never_answer_with_the_console()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var client = new HttpClient { BaseAddress = app.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleApp.AdminToken);

        // Under a route group: the group's own JSON 404.
        var unknown = await client.GetAsync("/v2/control-planes/6f1e0c5e-0000-4000-8000-000000000000/no-such-thing", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        foreach (var path in new[] { "/v1/no-such-thing", "/v2/no-such-thing", "/v3/no-such-thing", "/docs/no-such-page", "/openapi/no-such.json", "/healthz/deep" })
        {
            var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
    }
}
