using System.Net;
using Gatehouse.Testing;
using Gatehouse.Testing.Identity;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>
/// People signing in with Entra ID access tokens, over HTTP, against the app configured for a
/// stand-in tenant: a user made on first sight, roles through team-group mappings, and every kind
/// of bad token refused with a 401.
/// </summary>
public sealed class EntraSignInTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Audience = "api://gatehouse";

    private readonly EntraIdStandIn _tenant = new();
    private RunningApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _tenant.StartAsync(Ct);
        _app = await RunningApp.StartAsync(storage, new Dictionary<string, string?>
        {
            ["Gatehouse:EntraId:TenantId"] = _tenant.TenantId.ToString(),
            ["Gatehouse:EntraId:Audience"] = Audience,
            ["Gatehouse:EntraId:Instance"] = _tenant.Instance.ToString(),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _tenant.DisposeAsync();
    }

    [Fact]
    public async Task A_person_becomes_a_user_on_first_sight_and_holds_the_roles_of_the_teams_their_groups_map_to()
    {
        var cp = await Identities.CreateControlPlaneAsync(_app, "blue");
        var blueGroup = Guid.NewGuid();
        var team = await Identities.CreateTeamAsync(_app, "Team Blue");
        await Identities.AssignTeamRoleAsync(_app, team, "Admin", cp);
        var dana = Guid.NewGuid();

        using var withoutGroup = Bearer(_tenant.Mint(Audience, dana, "dana@contoso.example"));
        Assert.Equal(HttpStatusCode.Forbidden, (await withoutGroup.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
        var me = await (await withoutGroup.GetAsync("/v3/users/me", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("dana@contoso.example", me.GetProperty("email").GetString());
        var users = await (await _app.Client.GetAsync("/v3/users?filter[email]=dana@contoso.example", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(me.GetProperty("id").GetString(), Assert.Single(users.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        var mapped = await (await _app.Client.PatchJsonAsync(TeamGroupMappings, $$"""{"data":[{"team_id":"{{team}}","groups":["{{blueGroup}}"]}]}"""))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(blueGroup.ToString(), Assert.Single(Assert.Single(mapped.GetProperty("data").EnumerateArray()).GetProperty("groups").EnumerateArray()).GetString());

        using var withGroup = Bearer(_tenant.Mint(Audience, dana, "dana@contoso.example", [Guid.NewGuid(), blueGroup]));
        Assert.Equal(HttpStatusCode.OK, (await withGroup.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"by dana"}""")).StatusCode);
        // Same person, same user: the second sight made no second user.
        var again = await (await withGroup.GetAsync("/v3/users/me", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(me.GetProperty("id").GetString(), again.GetProperty("id").GetString());

        // Unmapping the group takes the roles away from the next request on.
        await (await _app.Client.PatchJsonAsync(TeamGroupMappings, $$"""{"data":[{"team_id":"{{team}}","groups":[]}]}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await withGroup.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"again"}""")).StatusCode);

        var audit = await (await _app.Client.GetAsync($"/v2/audit-logs?filter[principal_id]={me.GetProperty("id").GetString()}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("principal_type").GetString() == "user" && e.GetProperty("request").GetProperty("status").GetInt32() == 200);
    }

    [Fact]
    public async Task A_user_the_admin_created_with_the_persons_email_is_theirs_with_the_roles_it_was_given()
    {
        var cp = await Identities.CreateControlPlaneAsync(_app, "green");
        var erin = await Identities.CreateUserAsync(_app, "erin@contoso.example");
        await (await _app.Client.PostJsonAsync($"/v3/users/{erin}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{cp}}","entity_type_name":"Control Planes","entity_region":"*"}""")).ExpectAsync(HttpStatusCode.Created);

        using var asErin = Bearer(_tenant.Mint(Audience, Guid.NewGuid(), "Erin@Contoso.example"));

        Assert.Equal(HttpStatusCode.OK, (await asErin.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
        var me = await (await asErin.GetAsync("/v3/users/me", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(erin, me.GetProperty("id").GetString());

        // Another person of the tenant with the same email does not get Erin's user.
        using var impostor = Bearer(_tenant.Mint(Audience, Guid.NewGuid(), "erin@contoso.example"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await impostor.GetAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Expired_wrong_audience_wrong_issuer_unknown_key_and_foreign_tenant_tokens_are_refused_with_401()
    {
        var person = Guid.NewGuid();
        var issued = DateTimeOffset.UtcNow.AddHours(-3);
        string[] tokens =
        [
            _tenant.Mint(Audience, person, "frank@contoso.example", issuedAt: issued, expires: issued.AddHours(1)),
            _tenant.Mint("api://another-app", person, "frank@contoso.example"),
            _tenant.Mint(Audience, person, "frank@contoso.example", issuer: "https://login.microsoftonline.com/" + Guid.NewGuid() + "/v2.0"),
            _tenant.Mint(Audience, person, "frank@contoso.example", key: EntraIdStandIn.UnpublishedKey()),
            _tenant.Mint(Audience, person, "frank@contoso.example", tenantId: Guid.NewGuid()),
            "eyJhbGciOiJub25lIn0.eyJvaWQiOiJ4In0.",
        ];
        foreach (var token in tokens)
        {
            using var client = Bearer(token);
            var response = await client.GetAsync("/v2/control-planes", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        // None of them made a user.
        var users = await (await _app.Client.GetAsync("/v3/users?filter[email]=frank@contoso.example", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(users.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Team_group_mappings_refuse_what_is_malformed_naming_the_field_and_an_unknown_team()
    {
        var bad = await _app.Client.PatchJsonAsync(TeamGroupMappings, """{"data":[{"team_id":"nope","groups":[""]},{"groups":5}]}""");
        var problem = await bad.ExpectAsync(HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("invalid_parameters").EnumerateArray().Select(p => p.GetProperty("field").GetString()).ToList();
        Assert.Contains("data[0].team_id", fields);
        Assert.Contains("data[1].team_id", fields);
        Assert.Contains("data[1].groups", fields);

        var unknown = await _app.Client.PatchJsonAsync(TeamGroupMappings, $$"""{"data":[{"team_id":"{{Guid.NewGuid()}}","groups":["g"]}]}""");
        await unknown.ExpectAsync(HttpStatusCode.NotFound);
        var listed = await (await _app.Client.GetAsync(TeamGroupMappings, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(listed.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Without_Entra_ID_configured_a_jwt_is_an_unknown_token()
    {
        await using var plain = await RunningApp.StartAsync(storage);
        using var client = new HttpClient { BaseAddress = plain.Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _tenant.Mint(Audience, Guid.NewGuid(), "gina@contoso.example"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v2/control-planes", Ct)).StatusCode);
    }

    private const string TeamGroupMappings = "/v3/identity-provider/team-group-mappings";

    private HttpClient Bearer(string token) => SystemAccounts.ClientWith(_app, token);
}
