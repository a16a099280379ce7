using System.Net;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>
/// Issue #13's scenario, with teams: Team Blue (a person's personal access token) and Team Green (a
/// system account's token) each write only their own control plane, the platform team (Admin of the
/// group, Plugin Admin of a third member) manages the group's membership and the global plugins, and
/// the group serves all three. Every role is the team's; no member holds one of its own.
/// </summary>
public sealed class TeamScenarioTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_teams_and_a_platform_share_a_group_and_each_writes_only_its_own()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var group = await CreateAsync(app, "shop", group: true);
        var (blue, green, shared) = (await CreateAsync(app, "team-blue"), await CreateAsync(app, "team-green"), await CreateAsync(app, "platform-shared"));
        // Three teams hold the roles; their members hold nothing of their own: a person of Team Blue
        // (a user with a personal access token), Team Green's CI (a system account), and a platform engineer.
        var blueTeam = await Identities.CreateTeamAsync(app, "Team Blue");
        var greenTeam = await Identities.CreateTeamAsync(app, "Team Green");
        var platformTeam = await Identities.CreateTeamAsync(app, "Platform");
        await Identities.AssignTeamRoleAsync(app, blueTeam, "Deployer", blue);
        await Identities.AssignTeamRoleAsync(app, greenTeam, "Admin", green);
        await Identities.AssignTeamRoleAsync(app, platformTeam, "Admin", group);
        await Identities.AssignTeamRoleAsync(app, platformTeam, "Plugin Admin", shared);
        var bluePerson = await Identities.CreateUserAsync(app, "blue-dev@example.com");
        await Identities.AddToTeamAsync(app, blueTeam, "users", bluePerson);
        var teamBlue = SystemAccounts.ClientWith(app, (await Identities.CreatePatAsync(app, bluePerson)).Token);
        var (greenCi, teamGreen) = await SystemAccounts.WithRolesAsync(app, "team-green-ci");
        await Identities.AddToTeamAsync(app, greenTeam, "system-accounts", greenCi);
        var platformPerson = await Identities.CreateUserAsync(app, "platform@example.com");
        await Identities.AddToTeamAsync(app, platformTeam, "users", platformPerson);
        var platform = SystemAccounts.ClientWith(app, (await Identities.CreatePatAsync(app, platformPerson)).Token);
        using var _ = teamBlue;
        using var __ = teamGreen;
        using var ___ = platform;

        // Membership is the group's Admin's to change, not a member team's.
        var members = $$"""{"members":[{"id":"{{blue}}"},{"id":"{{green}}"},{"id":"{{shared}}"}]}""";
        var refused = await teamBlue.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", members);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal($"user 'blue-dev@example.com' lacks Admin on control plane {group}", (await refused.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await teamGreen.PutAsync($"/v2/control-planes/{group}/group-memberships",
            new StringContent("""{"members":[]}""", System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode);
        await (await platform.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", members)).ExpectAsync(HttpStatusCode.NoContent);
        var listed = await (await platform.GetAsync($"/v2/control-planes/{group}/group-memberships", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { blue, green, shared }.Order(), listed.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order());

        // Each team keeps writing its own member; the platform writes the global plugin on the third.
        await (await teamBlue.PostJsonAsync($"/v2/control-planes/{blue}/core-entities/services", """{"name":"orders","host":"orders.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await teamBlue.PostJsonAsync($"/v2/control-planes/{blue}/core-entities/services/orders/routes", """{"name":"orders","paths":["/orders"]}""")).ExpectAsync(HttpStatusCode.Created);
        await (await teamGreen.PostJsonAsync($"/v2/control-planes/{green}/core-entities/services", """{"name":"billing","host":"billing.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await platform.PostJsonAsync($"/v2/control-planes/{shared}/core-entities/plugins", """{"name":"correlation-id"}""")).ExpectAsync(HttpStatusCode.Created);

        // Nobody reaches past its own: not the other team's control plane, not the group, and the
        // platform's Plugin Admin is no licence for services on the shared member.
        foreach (var (client, url) in new[]
        {
            (teamBlue, $"/v2/control-planes/{green}/core-entities/services"),
            (teamGreen, $"/v2/control-planes/{blue}/core-entities/services"),
            (teamBlue, $"/v2/control-planes/{group}/core-entities/services"),
            (teamGreen, $"/v2/control-planes/{group}/core-entities/services"),
            (platform, $"/v2/control-planes/{shared}/core-entities/services"),
            (platform, $"/v2/control-planes/{blue}/core-entities/services"),
        })
        {
            var response = await client.PostJsonAsync(url, """{"name":"intruder","host":"x.internal"}""");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"POST {url} answered {(int)response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await teamBlue.GetAsync($"/v2/control-planes/{group}/declarative-config", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await teamGreen.GetAsync($"/v2/control-planes/{blue}", Ct)).StatusCode);

        // The group's snapshot holds all three members' configuration.
        var config = await WaitAsync(platform, $"/v2/control-planes/{group}/declarative-config",
            c => Names(c, "services").Count == 2 && Names(c, "plugins").Count == 1);
        Assert.Equal(["billing", "orders"], Names(config, "services").Order());
        Assert.Equal(["correlation-id"], Names(config, "plugins"));
        Assert.Equal(["orders"], Names(config, "routes"));
    }

    private static List<string> Names(JsonElement config, string section) =>
        config.TryGetProperty(section, out var items) ? [.. items.EnumerateArray().Select(i => i.GetProperty("name").GetString()!)] : [];

    private static async Task<string> CreateAsync(RunningApp app, string name, bool group = false) =>
        (await (await app.Client.PostJsonAsync("/v2/control-planes",
            $$"""{"name":"{{name}}","cluster_type":"{{(group ? "CLUSTER_TYPE_CONTROL_PLANE_GROUP" : "CLUSTER_TYPE_CONTROL_PLANE")}}"}""")).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

    private static async Task<JsonElement> WaitAsync(HttpClient client, string path, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var body = await (await client.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK);
            if (condition(body))
            {
                return body;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path} never got there: {body.GetRawText()}");
            await Task.Delay(50, Ct);
        }
    }
}
