using System.Net;
using System.Net.Http.Headers;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>Sets up system accounts over the API with the admin token, as an operator would with curl.</summary>
internal static class SystemAccounts
{
    public static async Task<string> CreateAsync(RunningApp app, string name)
    {
        var created = await (await app.Client.PostJsonAsync("/v3/system-accounts", $$"""{"name":"{{name}}","description":"for tests"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>A new token of the account, valid for an hour unless said otherwise.</summary>
    public static async Task<string> CreateTokenAsync(RunningApp app, string accountId, string name = "ci", DateTimeOffset? expiresAt = null)
    {
        var expires = (expiresAt ?? DateTimeOffset.UtcNow.AddHours(1)).ToString("O");
        var created = await (await app.Client.PostJsonAsync($"/v3/system-accounts/{accountId}/access-tokens", $$"""{"name":"{{name}}","expires_at":"{{expires}}"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("token").GetString()!;
    }

    public static async Task<string> AssignAsync(RunningApp app, string accountId, string role, string entityId)
    {
        var assigned = await (await app.Client.PostJsonAsync($"/v3/system-accounts/{accountId}/assigned-roles",
            $$"""{"role_name":"{{role}}","entity_id":"{{entityId}}","entity_type_name":"Control Planes","entity_region":"*"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return assigned.GetProperty("id").GetString()!;
    }

    /// <summary>An account with a token and these roles, and a client that sends the token.</summary>
    public static async Task<(string AccountId, HttpClient Client)> WithRolesAsync(RunningApp app, string name, params (string Role, string EntityId)[] roles)
    {
        var account = await CreateAsync(app, name);
        foreach (var (role, entity) in roles)
        {
            await AssignAsync(app, account, role, entity);
        }
        return (account, ClientWith(app, await CreateTokenAsync(app, account)));
    }

    public static HttpClient ClientWith(RunningApp app, string token) => new()
    {
        BaseAddress = app.Client.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };
}
