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
    public async Task Assets_go_out_compressed_as_the_build_wrote_them_to_clients_that_accept_it()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = app.Address };
        var index = await client.GetStringAsync("/", Ct);
        var script = System.Text.RegularExpressions.Regex.Match(index, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;

        async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string path, string? acceptEncoding)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (acceptEncoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            }
            var response = await client.SendAsync(request, Ct);
            return (response, await response.Content.ReadAsByteArrayAsync(Ct));
        }

        var (plain, asBuilt) = await GetAsync(script, null);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        foreach (var (accept, expected) in new[] { ("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip;q=0.5", "gzip"), ("*", "br") })
        {
            var (compressed, body) = await GetAsync(script, accept);
            Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
            Assert.Equal([expected], compressed.Content.Headers.ContentEncoding);
            Assert.Equal("text/javascript", compressed.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
            Assert.Contains("immutable", compressed.Headers.CacheControl?.ToString());
            Assert.Equal(body.Length, compressed.Content.Headers.ContentLength);
            Assert.True(body.Length < asBuilt.Length / 2, $"{accept}: {body.Length} bytes against {asBuilt.Length}");
            using var inflating = expected == "br"
                ? (Stream)new System.IO.Compression.BrotliStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress)
                : new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            await inflating.CopyToAsync(inflated, Ct);
            Assert.Equal(asBuilt, inflated.ToArray());
        }

        // Refused, not offered, or not understood: the file as built.
        foreach (var accept in new[] { "identity", "br;q=0, gzip;q=0", "deflate", ";;q=x,,br;q=", "br;q=2;;", "*;q=0", new string(',', 10_000) })
        {
            var (refused, body) = await GetAsync(script, accept);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Empty(refused.Content.Headers.ContentEncoding);
            Assert.Equal(asBuilt, body);
        }
        // The compressed forms are not files of their own.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(script + ".br", "br")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(script + ".gz", null)).Response.StatusCode);
        // index.html is not under /assets: sent as it is, never cached.
        var (page, _) = await GetAsync("/", "br");
        Assert.Empty(page.Content.Headers.ContentEncoding);
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
