using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Testing;
using Gatehouse.Testing.Identity;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// Signing in to the console with Microsoft Entra ID: the authorization code flow with PKCE against a
/// stand-in tenant (Entra cannot run here), the console learning the tenant, client and scope from
/// the app's /console/config.json, and the token it gets being one the app's own Entra ID check accepts.
/// </summary>
public sealed class EntraSignInTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private readonly EntraIdStandIn _tenant = new();
    private readonly Guid _api = Guid.NewGuid();
    private readonly Guid _console = Guid.NewGuid();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _tenant.StartAsync(Ct);
        // The API's registration: tokens for its api://{client id}/access_as_user are for its client id (v2.0 tokens).
        _tenant.ExposeApi($"api://{_api:D}", _api.ToString("D"));
    }

    public ValueTask DisposeAsync() => _tenant.DisposeAsync();

    private Task<ConsoleApp> StartAppAsync(string? consoleScope = null) => ConsoleApp.StartAsync(storage, extraSettings: new Dictionary<string, string?>
    {
        ["Gatehouse:EntraId:TenantId"] = _tenant.TenantId.ToString("D"),
        ["Gatehouse:EntraId:Audience"] = _api.ToString("D"),
        ["Gatehouse:EntraId:Instance"] = _tenant.Instance.ToString(),
        ["Gatehouse:EntraId:ConsoleClientId"] = _console.ToString("D"),
        ["Gatehouse:EntraId:ConsoleScope"] = consoleScope,
    });

    [Fact]
    public async Task A_token_for_another_api_is_not_kept_and_the_page_says_why()
    {
        // Misconfigured: the console asks for another API's scope, so the tenant's token is not for Gatehouse.
        _tenant.ExposeApi("api://another-api", "another-api");
        await using var app = await StartAppAsync(consoleScope: "api://another-api/access_as_user");
        _tenant.RegisterSinglePageApp(_console, new Uri(app.Address, "/sign-in/callback"));
        _tenant.AddPerson("frank@contoso.example");
        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(A_token_for_another_api_is_not_kept_and_the_page_says_why));
        await shots.RunAsync(page, async () =>
        {
            await page.GotoAsync("/sign-in");
            await page.GetByTestId("entra-sign-in").ClickAsync();
            await page.Locator("#login").FillAsync("frank@contoso.example");
            await page.Locator("#submit").ClickAsync();

            await Assertions.Expect(page.GetByTestId("entra-error")).ToContainTextAsync("Gatehouse did not accept the token");
            await shots.TakeAsync(page, "refused");
            Assert.Equal(1, _tenant.TokensIssued);
            Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('gatehouse.token')"));
            await page.GetByTestId("back-to-sign-in").ClickAsync();
            await Assertions.Expect(page.GetByTestId("token-input")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Sign_in_with_Entra_ID_come_back_signed_in_and_see_only_the_control_planes_your_role_allows()
    {
        await using var app = await StartAppAsync();
        _tenant.RegisterSinglePageApp(_console, new Uri(app.Address, "/sign-in/callback"));
        _tenant.AddPerson("dana@contoso.example");
        using (var api = new ConsoleApi(app))
        {
            var blue = await api.CreateControlPlaneAsync("blue");
            await api.CreateControlPlaneAsync("green");
            // The admin gives Dana's user a role before she first signs in: her first sign-in links her to it.
            var dana = (await api.SendAsync(HttpMethod.Post, "/v3/users", new { email = "dana@contoso.example", full_name = "Dana" })).GetProperty("id").GetString();
            await api.SendAsync(HttpMethod.Post, $"/v3/users/{dana}/assigned-roles",
                new { role_name = "Viewer", entity_id = blue, entity_type_name = "Control Planes", entity_region = "*" });
        }
        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Sign_in_with_Entra_ID_come_back_signed_in_and_see_only_the_control_planes_your_role_allows));
        await shots.RunAsync(page, async () =>
        {
            await page.GotoAsync("/");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
            await shots.TakeAsync(page, "sign-in");
            await page.GetByTestId("entra-sign-in").ClickAsync();

            // At the tenant's own sign-in page, with the console's client, callback and an S256 challenge.
            await page.WaitForURLAsync(new Regex("^" + Regex.Escape(new Uri(_tenant.Instance, $"{_tenant.TenantId:D}/oauth2/v2.0/authorize").ToString())));
            var authorize = new Uri(page.Url);
            var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
            Assert.Equal(_console.ToString("D"), query["client_id"]);
            Assert.Equal(new Uri(app.Address, "/sign-in/callback").ToString(), query["redirect_uri"]);
            Assert.Equal("S256", query["code_challenge_method"]);
            Assert.Equal($"api://{_api:D}/access_as_user", query["scope"]);
            await shots.TakeAsync(page, "tenant-sign-in");
            await page.Locator("#login").FillAsync("dana@contoso.example");
            await page.Locator("#submit").ClickAsync();

            // Back, signed in: Dana sees the control plane her role is on, and not the others.
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Control planes" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("cp-row-blue")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("cp-row-green")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("cp-row-default")).ToHaveCountAsync(0);
            await shots.TakeAsync(page, "signed-in");
            Assert.Equal(1, _tenant.TokensIssued);
            Assert.Equal("/", new Uri(page.Url).AbsolutePath);

            // The token kept is the tenant's, for the API's audience; the verifier is gone with the code.
            var token = await page.EvaluateAsync<string>("() => sessionStorage.getItem('gatehouse.token')");
            var claims = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement;
            Assert.Equal(_api.ToString("D"), claims.GetProperty("aud").GetString());
            Assert.Equal(_tenant.Issuer, claims.GetProperty("iss").GetString());
            Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('gatehouse.entra.pending')"));

            // A code arriving with no sign-in started in this tab (a replayed or forged callback) is not redeemed.
            await page.GotoAsync("/sign-in/callback?code=replayed&state=whatever");
            await Assertions.Expect(page.GetByTestId("entra-error")).ToContainTextAsync("No sign-in was started in this tab.");
            Assert.Equal(1, _tenant.TokensIssued);
        });
    }

    [Fact]
    public async Task The_console_learns_the_tenant_from_the_app_and_the_tenant_refuses_a_code_without_its_verifier()
    {
        await using var app = await StartAppAsync();
        var redirect = new Uri(app.Address, "/sign-in/callback");
        _tenant.RegisterSinglePageApp(_console, redirect);
        _tenant.AddPerson("erin@contoso.example");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };

        var settings = await http.GetFromJsonAsync<JsonElement>("/console/config.json", Ct);
        var entra = settings.GetProperty("entra_id");
        Assert.Equal(_console.ToString("D"), entra.GetProperty("client_id").GetString());
        Assert.Equal(new Uri(_tenant.Instance, $"{_tenant.TenantId:D}/oauth2/v2.0/authorize").ToString(), entra.GetProperty("authorization_endpoint").GetString());
        var tokenEndpoint = entra.GetProperty("token_endpoint").GetString()!;
        Assert.Equal(new Uri(_tenant.Instance, $"{_tenant.TenantId:D}/oauth2/v2.0/token").ToString(), tokenEndpoint);
        Assert.Equal([$"api://{_api:D}/access_as_user"], entra.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // The flow as the console runs it, by hand: a code for one verifier is not redeemed with another.
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        async Task<string> CodeAsync()
        {
            using var signIn = await http.PostAsync(entra.GetProperty("authorization_endpoint").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = _console.ToString("D"),
                ["response_type"] = "code",
                ["redirect_uri"] = redirect.ToString(),
                ["state"] = "s1",
                ["scope"] = $"api://{_api:D}/access_as_user",
                ["code_challenge"] = challenge,
                ["code_challenge_method"] = "S256",
                ["login"] = "erin@contoso.example",
            }), Ct);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var back = System.Web.HttpUtility.ParseQueryString(signIn.Headers.Location!.Query);
            Assert.Equal("s1", back["state"]);
            return back["code"]!;
        }
        async Task<HttpResponseMessage> RedeemAsync(string code, string withVerifier)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["client_id"] = _console.ToString("D"),
                    ["grant_type"] = "authorization_code",
                    ["code"] = code,
                    ["redirect_uri"] = redirect.ToString(),
                    ["code_verifier"] = withVerifier,
                }),
            };
            request.Headers.Add("Origin", app.Address.GetLeftPart(UriPartial.Authority));
            return await http.SendAsync(request, Ct);
        }

        using var wrong = await RedeemAsync(await CodeAsync(), Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("AADSTS501481", await wrong.Content.ReadAsStringAsync(Ct));

        using var right = await RedeemAsync(await CodeAsync(), verifier);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var token = (await right.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString();
        // And the app takes what the tenant issued: Erin is a user now.
        using var asErin = new HttpRequestMessage(HttpMethod.Get, "/v3/users/me");
        asErin.Headers.Authorization = new("Bearer", token);
        using var me = await http.SendAsync(asErin, Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("erin@contoso.example", (await me.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("email").GetString());
    }
}
