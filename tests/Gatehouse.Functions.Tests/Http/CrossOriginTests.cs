using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Http;

/// <summary>
/// CORS for portals on other origins, on a real Kestrel and Azurite: preflights answered without a
/// token and unaudited, allow headers for the configured origins only, none by default.
/// </summary>
public sealed class CrossOriginTests(StorageFixture storage)
{
    private const string Portal = "https://portal.example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<RunningApp> StartAsync(StorageFixture storage, string? origins) =>
        RunningApp.StartAsync(storage, origins is null ? null : new Dictionary<string, string?> { ["Gatehouse:Cors:AllowedOrigins"] = origins });

    private static async Task<HttpResponseMessage> PreflightAsync(RunningApp app, string path, string origin, string method = "POST")
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await app.Anonymous.SendAsync(request, Ct);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_a_token_and_allows_the_method_and_headers()
    {
        await using var app = await StartAsync(storage, $"https://other.example.org, {Portal}");
        foreach (var path in new[] { "/v2/control-planes", "/v3/system-accounts" })
        {
            using var response = await PreflightAsync(app, path, Portal);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(Portal, Header(response, "Access-Control-Allow-Origin"));
            Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
            var headers = Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant();
            Assert.Contains("authorization", headers, StringComparison.Ordinal);
            Assert.Contains("content-type", headers, StringComparison.Ordinal);
            Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        }
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_allow_headers()
    {
        await using var app = await StartAsync(storage, Portal);
        using var response = await PreflightAsync(app, "/v2/control-planes", "https://evil.example.net");
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
        // A sub-origin is another origin: exact matches only.
        using var sub = await PreflightAsync(app, "/v2/control-planes", "https://x.portal.example.com");
        Assert.Null(Header(sub, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_the_setting_no_origin_is_allowed()
    {
        await using var app = await StartAsync(storage, null);
        using var preflight = await PreflightAsync(app, "/v2/control-planes", Portal, "GET");
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
        request.Headers.Add("Origin", Portal);
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task An_authenticated_request_from_an_allowed_origin_carries_the_allow_origin_and_exposed_headers()
    {
        await using var app = await StartAsync(storage, Portal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
        request.Headers.Add("Origin", Portal);
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Portal, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("ETag", Header(response, "Access-Control-Expose-Headers"), StringComparison.OrdinalIgnoreCase);

        // A refusal reaches the portal's script too, so it can say why.
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
        anonymous.Headers.Add("Origin", Portal);
        using var refused = await app.Anonymous.SendAsync(anonymous, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(Portal, Header(refused, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_preflight_is_not_audited_as_a_refusal()
    {
        await using var app = await StartAsync(storage, Portal);
        var controlPlane = Guid.NewGuid();
        using (var preflight = await PreflightAsync(app, $"/v2/control-planes/{controlPlane}", Portal, "DELETE"))
        {
            Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        }
        // The same path without a token is audited as a refusal: the check below can see one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.DeleteAsync($"/v2/control-planes/{controlPlane}", Ct)).StatusCode);

        var entries = (await (await app.Client.GetAsync("/v2/audit-logs", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("request").GetProperty("path").GetString() == $"/v2/control-planes/{controlPlane}").ToList();
        var entry = Assert.Single(entries);
        Assert.Equal(("DELETE", 401), (entry.GetProperty("request").GetProperty("method").GetString(), entry.GetProperty("request").GetProperty("status").GetInt32()));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://portal.example.com/")]
    [InlineData("https://portal.example.com/app")]
    [InlineData("portal.example.com")]
    [InlineData("ftp://portal.example.com")]
    public async Task A_setting_that_is_not_a_list_of_exact_origins_stops_the_app(string origin)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(storage, origin));
        Assert.Contains("Gatehouse__Cors__AllowedOrigins", error.Message, StringComparison.Ordinal);
    }
}
