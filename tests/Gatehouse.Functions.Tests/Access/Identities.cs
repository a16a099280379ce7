using System.Net;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>Sets up users, their personal access tokens and teams over the API with the admin token.</summary>
internal static class Identities
{
    public static async Task<string> CreateUserAsync(RunningApp app, string email, string fullName = "Test User")
    {
        var created = await (await app.Client.PostJsonAsync("/v3/users", $$"""{"email":"{{email}}","full_name":"{{fullName}}"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>A new personal access token of the user, living an hour unless said otherwise: its id and secret.</summary>
    public static async Task<(string Id, string Token)> CreatePatAsync(RunningApp app, string userId, string name = "laptop", long ttlSeconds = 3600)
    {
        var created = await (await app.Client.PostJsonAsync($"/v3/users/{userId}/access-tokens", $$"""{"name":"{{name}}","ttl_seconds":{{ttlSeconds}}}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, created.GetProperty("konnect_token").GetString()!);
    }

    public static async Task<string> CreateTeamAsync(RunningApp app, string name)
    {
        var created = await (await app.Client.PostJsonAsync("/v3/teams", $$"""{"name":"{{name}}","description":"for tests"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    public static async Task AddToTeamAsync(RunningApp app, string teamId, string members, string memberId) =>
        Assert.Equal(HttpStatusCode.Created, (await app.Client.PostJsonAsync($"/v3/teams/{teamId}/{members}", $$"""{"id":"{{memberId}}"}""")).StatusCode);

    public static async Task<string> AssignTeamRoleAsync(RunningApp app, string teamId, string role, string entityId)
    {
        var assigned = await (await app.Client.PostJsonAsync($"/v3/teams/{teamId}/assigned-roles",
            $$"""{"role_name":"{{role}}","entity_id":"{{entityId}}","entity_type_name":"Control Planes","entity_region":"*"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return assigned.GetProperty("id").GetString()!;
    }

    public static async Task<string> CreateControlPlaneAsync(RunningApp app, string name) =>
        (await (await app.Client.PostJsonAsync("/v2/control-planes", $$"""{"name":"{{name}}"}""")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
}
