using System.Net;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>/v3/teams with members and roles over HTTP, answers checked against Konnect's identity v3 spec where it has the operation.</summary>
public sealed class TeamApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Valid(HttpResponseMessage response, string method, string template) =>
        OpenApiAssert.ValidResponseAsync(ReferenceSpecs.Identity, method, template, response, Ct);

    [Fact]
    public async Task Teams_answer_in_the_spec_shapes_and_page_and_filter()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var api = app.Client;

        var created = await api.PostJsonAsync("/v3/teams", """{"name":"Platform","description":"runs the gateways","labels":{"env":"prod"}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Valid(created, "POST", "/v3/teams");
        var team = await created.JsonAsync();
        Assert.False(team.GetProperty("system_team").GetBoolean());
        Assert.Equal("prod", team.GetProperty("labels").GetProperty("env").GetString());
        var teamPath = $"/v3/teams/{team.GetProperty("id").GetString()}";

        var read = await api.GetAsync(teamPath, Ct);
        await Valid(read, "GET", "/v3/teams/{teamId}");
        Assert.Equal("Platform", (await read.JsonAsync()).GetProperty("name").GetString());
        var patched = await api.PatchJsonAsync(teamPath, """{"description":"changed","labels":{"env":"dev"}}""");
        await Valid(patched, "PATCH", "/v3/teams/{teamId}");
        var patchedJson = await patched.JsonAsync();
        Assert.Equal("changed", patchedJson.GetProperty("description").GetString());
        Assert.Equal("Platform", patchedJson.GetProperty("name").GetString());
        Assert.Equal("dev", patchedJson.GetProperty("labels").GetProperty("env").GetString());

        // Konnect allows two teams of one name; they differ by id.
        var twin = await api.PostJsonAsync("/v3/teams", """{"name":"Platform"}""");
        Assert.Equal(HttpStatusCode.Created, twin.StatusCode);
        for (var i = 0; i < 3; i++)
        {
            await Identities.CreateTeamAsync(app, $"paged-{i}");
        }
        var page = await api.GetAsync("/v3/teams?page[size]=2&page[number]=3", Ct);
        await Valid(page, "GET", "/v3/teams");
        var pageJson = await page.JsonAsync();
        Assert.Equal(5, pageJson.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        Assert.Single(pageJson.GetProperty("data").EnumerateArray());
        var exact = await (await api.GetAsync("/v3/teams?filter[name][eq]=Platform", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, exact.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        var bare = await (await api.GetAsync("/v3/teams?filter[name]=paged-1", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("paged-1", Assert.Single(bare.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        var contains = await (await api.GetAsync("/v3/teams?filter[name][contains]=PAGED", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, contains.GetProperty("data").GetArrayLength());

        var unknownFilter = await api.GetAsync("/v3/teams?filter[description]=x", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownFilter.StatusCode);
        await Valid(unknownFilter, "GET", "/v3/teams");
        Assert.Equal("application/problem+json", unknownFilter.Content.Headers.ContentType?.MediaType);
        var badSize = await api.GetAsync("/v3/teams?page[size]=101", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badSize.StatusCode);

        var nameless = await api.PostJsonAsync("/v3/teams", """{"description":"no name","size":3}""");
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        await Valid(nameless, "POST", "/v3/teams");
        var fields = (await nameless.JsonAsync()).GetProperty("invalid_parameters").EnumerateArray().Select(p => p.GetProperty("field").GetString()).ToList();
        Assert.Equal(["name", "size"], fields.Order());
        var reserved = await api.PostJsonAsync("/v3/teams", """{"name":"labelled","labels":{"kong-x":"y"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode);
        await Valid(reserved, "POST", "/v3/teams");
        Assert.StartsWith("labels", (await reserved.JsonAsync()).GetProperty("invalid_parameters")[0].GetProperty("field").GetString());
        var tooLong = await api.PostJsonAsync("/v3/teams", $$"""{"name":"{{new string('x', 251)}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        var missing = await api.GetAsync($"/v3/teams/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Valid(missing, "GET", "/v3/teams/{teamId}");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/v3/teams/not-a-uuid", Ct)).StatusCode);

        var deleted = await api.DeleteAsync(teamPath, Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var again = await api.DeleteAsync(teamPath, Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        await Valid(again, "DELETE", "/v3/teams/{teamId}");
    }

    [Fact]
    public async Task Members_are_added_listed_and_removed_from_both_sides()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var api = app.Client;
        var team = await Identities.CreateTeamAsync(app, "Ops");
        var other = await Identities.CreateTeamAsync(app, "Other");
        var alice = await Identities.CreateUserAsync(app, "alice@example.com", "Alice Smith");
        var bob = await Identities.CreateUserAsync(app, "bob@example.com", "Bob Jones");
        var ci = await SystemAccounts.CreateAsync(app, "ci");

        var added = await api.PostJsonAsync($"/v3/teams/{team}/users", $$"""{"id":"{{alice}}"}""");
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        await Identities.AddToTeamAsync(app, team, "users", bob);
        await Identities.AddToTeamAsync(app, other, "users", alice);
        var twice = await api.PostJsonAsync($"/v3/teams/{team}/users", $$"""{"id":"{{alice}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        await Valid(twice, "POST", "/v3/teams/{teamId}/users");
        var nobody = await api.PostJsonAsync($"/v3/teams/{team}/users", $$"""{"id":"{{Guid.NewGuid()}}"}""");
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        await Valid(nobody, "POST", "/v3/teams/{teamId}/users");
        var notUuid = await api.PostJsonAsync($"/v3/teams/{team}/users", """{"id":"alice"}""");
        Assert.Equal(HttpStatusCode.BadRequest, notUuid.StatusCode);
        await Valid(notUuid, "POST", "/v3/teams/{teamId}/users");
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostJsonAsync($"/v3/teams/{Guid.NewGuid()}/users", $$"""{"id":"{{alice}}"}""")).StatusCode);

        var accountAdded = await api.PostJsonAsync($"/v3/teams/{team}/system-accounts", $$"""{"id":"{{ci}}"}""");
        Assert.Equal(HttpStatusCode.Created, accountAdded.StatusCode);
        var accountTwice = await api.PostJsonAsync($"/v3/teams/{team}/system-accounts", $$"""{"id":"{{ci}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, accountTwice.StatusCode);
        await Valid(accountTwice, "POST", "/v3/teams/{teamId}/system-accounts");

        var users = await (await api.GetAsync($"/v3/teams/{team}/users", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([alice, bob], users.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        var byEmail = await (await api.GetAsync($"/v3/teams/{team}/users?filter[email][contains]=BOB", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(bob, Assert.Single(byEmail.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        var byId = await (await api.GetAsync($"/v3/teams/{team}/users?filter[id]={alice}&filter[active]=true", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(alice, Assert.Single(byId.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        var inactive = await (await api.GetAsync($"/v3/teams/{team}/users?filter[active]=false", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(inactive.GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/v3/teams/{team}/users?filter[active]=maybe", Ct)).StatusCode);
        var accounts = await (await api.GetAsync($"/v3/teams/{team}/system-accounts?filter[name]=ci", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(ci, Assert.Single(accounts.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        var aliceTeams = await (await api.GetAsync($"/v3/users/{alice}/teams", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, aliceTeams.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        var ciTeams = await (await api.GetAsync($"/v3/system-accounts/{ci}/teams?filter[name][contains]=op", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(team, Assert.Single(ciTeams.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v3/system-accounts/{Guid.NewGuid()}/teams", Ct)).StatusCode);

        var removed = await api.DeleteAsync($"/v3/teams/{team}/users/{alice}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var removedAgain = await api.DeleteAsync($"/v3/teams/{team}/users/{alice}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        await Valid(removedAgain, "DELETE", "/v3/teams/{teamId}/users/{userId}");
        var accountRemoved = await api.DeleteAsync($"/v3/teams/{team}/system-accounts/{ci}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, accountRemoved.StatusCode);
        var left = await (await api.GetAsync($"/v3/teams/{team}/users", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([bob], left.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        Assert.Empty((await (await api.GetAsync($"/v3/system-accounts/{ci}/teams", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray());

        // Deleting a user or a team takes its memberships with it.
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v3/users/{bob}", Ct)).StatusCode);
        Assert.Empty((await (await api.GetAsync($"/v3/teams/{team}/users", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v3/teams/{other}", Ct)).StatusCode);
        Assert.Empty((await (await api.GetAsync($"/v3/users/{alice}/teams", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Team_roles_follow_the_assign_role_rules()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var api = app.Client;
        var team = await Identities.CreateTeamAsync(app, "Viewers");
        var cp = Guid.NewGuid().ToString();

        var assigned = await api.PostJsonAsync($"/v3/teams/{team}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{cp.ToUpperInvariant()}}","entity_type_name":"Control Planes","entity_region":"eu"}""");
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        await Valid(assigned, "POST", "/v3/teams/{teamId}/assigned-roles");
        var role = await assigned.JsonAsync();
        Assert.Equal(cp, role.GetProperty("entity_id").GetString());
        var duplicate = await api.PostJsonAsync($"/v3/teams/{team}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{cp}}","entity_type_name":"Control Planes","entity_region":"eu"}""");
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        await Valid(duplicate, "POST", "/v3/teams/{teamId}/assigned-roles");
        var invalid = await api.PostJsonAsync($"/v3/teams/{team}/assigned-roles",
            """{"role_name":"Overlord","entity_id":"cp","entity_type_name":"Portals","entity_region":"mars"}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await Valid(invalid, "POST", "/v3/teams/{teamId}/assigned-roles");
        Assert.Equal(4, (await invalid.JsonAsync()).GetProperty("invalid_parameters").GetArrayLength());
        await Identities.AssignTeamRoleAsync(app, team, "Deployer", "*");

        var rolePath = $"/v3/teams/{team}/assigned-roles/{role.GetProperty("id").GetString()}";
        await Valid(await api.GetAsync(rolePath, Ct), "GET", "/v3/teams/{teamId}/assigned-roles/{roleId}");
        var listed = await (await api.GetAsync($"/v3/teams/{team}/assigned-roles", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, listed.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        var viewers = await (await api.GetAsync($"/v3/teams/{team}/assigned-roles?filter[role_name]=Viewer", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(viewers.GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/v3/teams/{team}/assigned-roles?filter[role_name][contains]=V", Ct)).StatusCode);

        var removed = await api.DeleteAsync(rolePath, Ct);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var gone = await api.DeleteAsync(rolePath, Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await Valid(gone, "DELETE", "/v3/teams/{teamId}/assigned-roles/{roleId}");
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostJsonAsync($"/v3/teams/{Guid.NewGuid()}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{cp}}","entity_type_name":"Control Planes","entity_region":"eu"}""")).StatusCode);
    }
}
