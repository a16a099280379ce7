using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>
/// What system accounts may do on /v2, over HTTP: nothing until a role grants it; Viewer reads,
/// Admin reads and writes, each only on its control planes (or all, with <c>*</c>); Creator creates
/// and administers what it created. Refusals are 403s in each endpoint's own error dialect.
/// </summary>
public sealed class AccessControlTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_account_without_roles_may_do_nothing()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await Identities.CreateControlPlaneAsync(app, "untouched");
        var (_, client) = await SystemAccounts.WithRolesAsync(app, "nobody");
        using var _ = client;

        var read = await client.GetAsync($"/v2/control-planes/{cp}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
        // Any control plane role reads the control plane itself; the refusal names them all.
        Assert.Equal($"system account 'nobody' lacks Viewer, Certificate Admin, Consumer Admin, Deployer, Gateway Service Admin, Plugin Admin, Route Admin, SNI Admin or Upstream Admin on control plane {cp}",
            (await read.JsonAsync()).GetProperty("detail").GetString());
        var write = await client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"s","host":"example.com"}""");
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal($"system account 'nobody' lacks Deployer, Gateway Service Admin or Admin on control plane {cp}", (await write.JsonAsync()).GetProperty("message").GetString());
        var create = await client.PostJsonAsync("/v2/control-planes", """{"name":"mine"}""");
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal("system account 'nobody' lacks Creator on control planes", (await create.JsonAsync()).GetProperty("detail").GetString());
        var list = await (await client.GetAsync("/v2/control-planes", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
        Assert.Equal(0, list.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        // Nothing was written on its behalf.
        var services = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/core-entities/services", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, services.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_viewer_reads_everything_of_its_control_plane_and_changes_nothing()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await Identities.CreateControlPlaneAsync(app, "watched");
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"s","host":"example.com"}""")).ExpectAsync(HttpStatusCode.Created);
        var (_, client) = await SystemAccounts.WithRolesAsync(app, "viewer", ("Viewer", cp));
        using var _ = client;

        foreach (var path in new[] { "", "/core-entities/services", "/core-entities/services/s", "/dp-client-certificates", "/nodes", "/group-memberships", "/declarative-config", "/expected-config-hash" })
        {
            var response = await client.GetAsync($"/v2/control-planes/{cp}{path}", Ct);
            Assert.True((int)response.StatusCode is >= 200 and < 300 or 404 or 400, $"GET {path} answered {(int)response.StatusCode}");
            Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        }
        var missing = $"lacks Admin on control plane {cp}";
        var patch = await client.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"x"}""");
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        Assert.Equal($"system account 'viewer' {missing}", (await patch.JsonAsync()).GetProperty("detail").GetString());
        var service = await client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"t","host":"example.com"}""");
        Assert.Equal(HttpStatusCode.Forbidden, service.StatusCode);
        var kong = await service.JsonAsync();
        Assert.Equal(7, kong.GetProperty("code").GetInt32());
        Assert.EndsWith($"lacks Deployer, Gateway Service Admin or Admin on control plane {cp}", kong.GetProperty("message").GetString());
        var certificate = await client.PostJsonAsync($"/v2/control-planes/{cp}/dp-client-certificates", """{"cert":"x"}""");
        Assert.Equal(HttpStatusCode.Forbidden, certificate.StatusCode);
        Assert.EndsWith(missing, (await certificate.JsonAsync()).GetProperty("message").GetString());
        var import = await client.PutAsync($"/v2/control-planes/{cp}/declarative-config?dry_run=true",
            new StringContent("""{"_format_version":"3.0"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/v2/control-planes/{cp}/core-entities/services/s", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/v2/control-planes/{cp}", Ct)).StatusCode);
        await (await app.Client.GetAsync($"/v2/control-planes/{cp}/core-entities/services/s", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_of_one_control_plane_cannot_touch_another_and_star_reaches_all()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var a = await Identities.CreateControlPlaneAsync(app, "team-a");
        var b = await Identities.CreateControlPlaneAsync(app, "team-b");
        var (_, teamA) = await SystemAccounts.WithRolesAsync(app, "team-a-ci", ("Admin", a));
        var (_, platform) = await SystemAccounts.WithRolesAsync(app, "platform", ("Admin", "*"));
        using var _ = teamA;
        using var __ = platform;

        await (await teamA.PatchJsonAsync($"/v2/control-planes/{a}", """{"description":"ours"}""")).ExpectAsync(HttpStatusCode.OK);
        await (await teamA.PostJsonAsync($"/v2/control-planes/{a}/core-entities/services", """{"name":"s","host":"a.example.com"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await teamA.PostAsync($"/v2/control-planes/{a}/dp-client-certificates/generate", null, Ct)).ExpectAsync(HttpStatusCode.Created);
        var refused = await teamA.PostJsonAsync($"/v2/control-planes/{b}/core-entities/services", """{"name":"s","host":"b.example.com"}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal($"system account 'team-a-ci' lacks Deployer, Gateway Service Admin or Admin on control plane {b}", (await refused.JsonAsync()).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await teamA.GetAsync($"/v2/control-planes/{b}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await teamA.DeleteAsync($"/v2/control-planes/{b}", Ct)).StatusCode);
        Assert.Equal([a], await ListedAsync(teamA));

        await (await platform.PostJsonAsync($"/v2/control-planes/{b}/core-entities/services", """{"name":"s","host":"b.example.com"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await platform.PatchJsonAsync($"/v2/control-planes/{a}", """{"description":"platform"}""")).ExpectAsync(HttpStatusCode.OK);
        var all = await ListedAsync(platform);
        Assert.Contains(a, all);
        Assert.Contains(b, all);
        // Admin is no Creator.
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.PostJsonAsync("/v2/control-planes", """{"name":"new"}""")).StatusCode);
    }

    [Fact]
    public async Task A_creator_creates_control_planes_and_administers_those_it_created()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var other = await Identities.CreateControlPlaneAsync(app, "someone-elses");
        var (account, creator) = await SystemAccounts.WithRolesAsync(app, "creator", ("Creator", "*"));
        using var _ = creator;

        var created = await (await creator.PostJsonAsync("/v2/control-planes", """{"name":"created-by-ci"}""")).ExpectAsync(HttpStatusCode.Created);
        var mine = created.GetProperty("id").GetString()!;
        await (await creator.PatchJsonAsync($"/v2/control-planes/{mine}", """{"description":"mine"}""")).ExpectAsync(HttpStatusCode.OK);
        await (await creator.PostJsonAsync($"/v2/control-planes/{mine}/core-entities/services", """{"name":"s","host":"example.com"}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal([mine], await ListedAsync(creator));
        Assert.Equal(HttpStatusCode.Forbidden, (await creator.GetAsync($"/v2/control-planes/{other}", Ct)).StatusCode);

        // The grant is an assigned role like any other: the admin sees it, and may take it away.
        var roles = await (await app.Client.GetAsync($"/v3/system-accounts/{account}/assigned-roles", Ct)).ExpectAsync(HttpStatusCode.OK);
        var admin = roles.GetProperty("data").EnumerateArray().Single(r => r.GetProperty("role_name").GetString() == "Admin");
        Assert.Equal(mine, admin.GetProperty("entity_id").GetString());
        Assert.Equal("Control Planes", admin.GetProperty("entity_type_name").GetString());
        await (await app.Client.DeleteAsync($"/v3/system-accounts/{account}/assigned-roles/{admin.GetProperty("id").GetString()}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Forbidden, (await creator.GetAsync($"/v2/control-planes/{mine}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_entity_role_writes_its_entity_type_only_and_the_refusal_names_who_may()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await Identities.CreateControlPlaneAsync(app, "fine-grained");
        var other = await Identities.CreateControlPlaneAsync(app, "fine-grained-other");
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"s","host":"example.com"}""")).ExpectAsync(HttpStatusCode.Created);
        var (_, routes) = await SystemAccounts.WithRolesAsync(app, "route-admin", ("Route Admin", cp));
        using var _ = routes;

        // Its routes, also nested under a service it may not change, and plugins on them.
        await (await routes.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services/s/routes", """{"name":"r","paths":["/r"]}""")).ExpectAsync(HttpStatusCode.Created);
        await (await routes.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/routes/r/plugins", """{"name":"cors"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await routes.GetAsync($"/v2/control-planes/{cp}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([cp], await ListedAsync(routes));

        // Not the service, not a global plugin, not the control plane, and nothing on another one.
        var service = await routes.PatchJsonAsync($"/v2/control-planes/{cp}/core-entities/services/s", """{"host":"other.example.com"}""");
        Assert.Equal(HttpStatusCode.Forbidden, service.StatusCode);
        Assert.Equal($"system account 'route-admin' lacks Deployer, Gateway Service Admin or Admin on control plane {cp}", (await service.JsonAsync()).GetProperty("message").GetString());
        var global = await routes.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/plugins", """{"name":"cors"}""");
        Assert.Equal(HttpStatusCode.Forbidden, global.StatusCode);
        Assert.EndsWith($"lacks Deployer, Plugin Admin or Admin on control plane {cp}", (await global.JsonAsync()).GetProperty("message").GetString());
        var read = await routes.GetAsync($"/v2/control-planes/{cp}/core-entities/services", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.EndsWith($"lacks Viewer, Deployer or Gateway Service Admin on control plane {cp}", (await read.JsonAsync()).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await routes.PatchJsonAsync($"/v2/control-planes/{cp}", """{"description":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await routes.PostJsonAsync($"/v2/control-planes/{other}/core-entities/routes", """{"name":"r","paths":["/r"]}""")).StatusCode);
        var stored = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/core-entities/services/s", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("example.com", stored.GetProperty("host").GetString());
    }

    [Fact]
    public async Task The_list_holds_only_what_the_account_may_see_and_pages_over_that()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Identities.CreateControlPlaneAsync(app, $"listed-{i}"));
        }
        var (_, client) = await SystemAccounts.WithRolesAsync(app, "lister", ("Viewer", ids[0]), ("Admin", ids[2]), ("Viewer", ids[4]));
        using var _ = client;

        var second = await (await client.GetAsync("/v2/control-planes?page[size]=2&page[number]=2", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, second.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        Assert.Equal(1, second.GetProperty("data").GetArrayLength());
        Assert.Equal(new[] { ids[0], ids[2], ids[4] }.Order(), (await ListedAsync(client)).Order());
        var filtered = await (await client.GetAsync($"/v2/control-planes?filter[name][eq]=listed-1", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, filtered.GetProperty("data").GetArrayLength());
        // The admin token still sees everything.
        var everything = await (await app.Client.GetAsync("/v2/control-planes?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(everything.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32() >= 5);
    }

    /// <summary>
    /// Safe by default, over every operation the API documents: an account without roles is refused
    /// everything but the (empty) list, and a Viewer of every control plane is refused every change
    /// and every identity operation, whatever the endpoint.
    /// </summary>
    [Fact]
    public async Task Every_documented_operation_refuses_what_no_role_grants()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await Identities.CreateControlPlaneAsync(app, "probed");
        var (_, nobody) = await SystemAccounts.WithRolesAsync(app, "nobody");
        var (_, viewer) = await SystemAccounts.WithRolesAsync(app, "everything-viewer", ("Viewer", "*"));
        using var _ = nobody;
        using var __ = viewer;
        var document = await (await app.Anonymous.GetAsync("/openapi/v1.json", Ct)).ExpectAsync(HttpStatusCode.OK);

        var probed = 0;
        var failures = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var url = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{[^}]+\}", match => match.Value switch
            {
                "{controlPlaneId}" => cp,
                var id when id.EndsWith("Id}", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
                _ => "x1",
            });
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                if (!operation.Value.GetProperty("security").EnumerateArray().SelectMany(s => s.EnumerateObject()).Any(s => s.Name == "adminToken"))
                {
                    continue;
                }
                var method = operation.Name.ToUpperInvariant();
                // Open to anyone authenticated: the control plane list and its summary (both filtered), the roles, the audit signing key.
                var isList = method == "GET" && path.Name is "/v2/control-planes" or "/v2/control-planes-summary" or "/v3/roles" or "/v2/audit-log-webhook/jwks.json";
                // Validating against a schema stores nothing: a read, whatever its method. The audit log and its
                // delivery are the organization admin's alone, whatever roles a principal holds.
                var isRead = isList || ((method is "GET" or "HEAD" || path.Name.EndsWith("/validate", StringComparison.Ordinal))
                    && path.Name.StartsWith("/v2/", StringComparison.Ordinal)
                    && !path.Name.StartsWith("/v2/audit-log", StringComparison.Ordinal));
                using (var response = await nobody.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct))
                {
                    if ((response.StatusCode == HttpStatusCode.Forbidden) == isList)
                    {
                        failures.Add($"no role: {method} {path.Name} answered {(int)response.StatusCode}");
                    }
                }
                using (var response = await viewer.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct))
                {
                    if ((response.StatusCode == HttpStatusCode.Forbidden) == isRead)
                    {
                        failures.Add($"viewer: {method} {path.Name} answered {(int)response.StatusCode}");
                    }
                }
                probed++;
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(probed > 150, $"only {probed} operations probed");
    }


    private static async Task<List<string>> ListedAsync(HttpClient client)
    {
        var list = await (await client.GetAsync("/v2/control-planes?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
        return [.. list.GetProperty("data").EnumerateArray().Select(cp => cp.GetProperty("id").GetString()!)];
    }
}
