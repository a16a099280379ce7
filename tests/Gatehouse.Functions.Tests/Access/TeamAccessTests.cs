using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>
/// A principal's roles are its own and its teams': a team's role reaches a user's kpat_ token and a
/// system account's spat_ token, and leaving the team, losing the role or deleting the team takes it
/// away from the next request on.
/// </summary>
public sealed class TeamAccessTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_teams_role_grants_its_users_and_system_accounts_until_they_leave()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await Identities.CreateControlPlaneAsync(app, "shared");
        var other = await Identities.CreateControlPlaneAsync(app, "other");
        var team = await Identities.CreateTeamAsync(app, "Viewers of shared");
        await Identities.AssignTeamRoleAsync(app, team, "Viewer", cp);

        var alice = await Identities.CreateUserAsync(app, "alice@example.com");
        var (_, aliceSecret) = await Identities.CreatePatAsync(app, alice);
        var (ci, ciClient) = await SystemAccounts.WithRolesAsync(app, "ci");
        using var asAlice = SystemAccounts.ClientWith(app, aliceSecret);
        using var _ = ciClient;

        foreach (var client in new[] { asAlice, ciClient })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
        }
        await Identities.AddToTeamAsync(app, team, "users", alice);
        await Identities.AddToTeamAsync(app, team, "system-accounts", ci);
        foreach (var client in new[] { asAlice, ciClient })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/v2/control-planes/{other}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"x"}""")).StatusCode);
        }

        // Leaving the team: refused from the very next request.
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/teams/{team}/users/{alice}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asAlice.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ciClient.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/teams/{team}/system-accounts/{ci}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ciClient.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Removing_a_teams_role_or_the_team_takes_the_grant_away_at_once()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await Identities.CreateControlPlaneAsync(app, "guarded");
        var admins = await Identities.CreateTeamAsync(app, "Admins");
        var viewers = await Identities.CreateTeamAsync(app, "Viewers");
        var adminRole = await Identities.AssignTeamRoleAsync(app, admins, "Admin", "*");
        await Identities.AssignTeamRoleAsync(app, viewers, "Viewer", cp);
        var bob = await Identities.CreateUserAsync(app, "bob@example.com");
        await Identities.AddToTeamAsync(app, admins, "users", bob);
        await Identities.AddToTeamAsync(app, viewers, "users", bob);
        var (_, secret) = await Identities.CreatePatAsync(app, bob);
        using var asBob = SystemAccounts.ClientWith(app, secret);

        // The union of both teams' roles: Admin anywhere.
        Assert.Equal(HttpStatusCode.OK, (await asBob.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"by bob"}""")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/teams/{admins}/assigned-roles/{adminRole}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asBob.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"again"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asBob.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/teams/{viewers}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asBob.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);

        // A user's own role counts beside its teams'.
        var own = await (await app.Client.PostJsonAsync($"/v3/users/{bob}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{cp}}","entity_type_name":"Control Planes","entity_region":"*"}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await asBob.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
        var listed = await (await app.Client.GetAsync($"/v3/users/{bob}/assigned-roles", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(own.GetProperty("id").GetString(), Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await app.Client.PostJsonAsync($"/v3/users/{bob}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{cp}}","entity_type_name":"Control Planes","entity_region":"*"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/users/{bob}/assigned-roles/{own.GetProperty("id").GetString()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asBob.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);

        // Deleting the user refuses its token at once.
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/users/{bob}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asBob.GetAsync("/v3/users/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_team_role_granted_on_one_instance_is_withdrawn_on_another_within_seconds()
    {
        var prefix = storage.UniqueName("t");
        await using var first = await RunningApp.StartAsync(storage, prefix: prefix);
        await using var second = await RunningApp.StartAsync(storage, prefix: prefix);
        var cp = await Identities.CreateControlPlaneAsync(first, "shared");
        var team = await Identities.CreateTeamAsync(first, "Viewers");
        await Identities.AssignTeamRoleAsync(first, team, "Viewer", cp);
        var carol = await Identities.CreateUserAsync(first, "carol@example.com");
        await Identities.AddToTeamAsync(first, team, "users", carol);
        var (_, secret) = await Identities.CreatePatAsync(first, carol);
        using var onSecond = SystemAccounts.ClientWith(second, secret);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await first.Client.DeleteAsync($"/v3/teams/{team}", Ct)).StatusCode);
        await Refusal.ArrivesWithinSecondsAsync(onSecond, $"/v2/control-planes/{cp}", HttpStatusCode.Forbidden, Ct);
    }

    [Fact]
    public async Task A_user_who_is_Creator_through_a_team_becomes_Admin_of_what_it_creates_and_the_audit_log_names_the_user()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var creators = await Identities.CreateTeamAsync(app, "Creators");
        await Identities.AssignTeamRoleAsync(app, creators, "Creator", "*");
        var carol = await Identities.CreateUserAsync(app, "carol@example.com");
        await Identities.AddToTeamAsync(app, creators, "users", carol);
        var (_, secret) = await Identities.CreatePatAsync(app, carol);
        using var asCarol = SystemAccounts.ClientWith(app, secret);

        var created = await (await asCarol.PostJsonAsync("/v2/control-planes", """{"name":"carols"}""")).ExpectAsync(HttpStatusCode.Created);
        var cp = created.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await asCarol.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"mine"}""")).StatusCode);
        var roles = await (await app.Client.GetAsync($"/v3/users/{carol}/assigned-roles", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(roles.GetProperty("data").EnumerateArray(), r => r.GetProperty("role_name").GetString() == "Admin" && r.GetProperty("entity_id").GetString() == cp);

        var audit = await (await app.Client.GetAsync($"/v2/audit-logs?filter[principal_id]={carol}", Ct)).ExpectAsync(HttpStatusCode.OK);
        var entries = audit.GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "control-planes.create");
        Assert.All(entries, e => Assert.Equal("user", e.GetProperty("principal_type").GetString()));
    }
}
