using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>/v3/system-accounts with tokens and roles, over HTTP, each answer checked against Konnect's identity v3 spec.</summary>
public sealed class SystemAccountApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Valid(HttpResponseMessage response, string method, string template) =>
        OpenApiAssert.ValidResponseAsync(ReferenceSpecs.Identity, method, template, response, Ct);

    [Fact]
    public async Task Accounts_tokens_and_roles_answer_in_the_spec_shapes()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var api = app.Client;

        var created = await api.PostJsonAsync("/v3/system-accounts", """{"name":"ci","description":"the pipeline"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Valid(created, "POST", "/v3/system-accounts");
        var account = (await created.JsonAsync()).GetProperty("id").GetString();
        var accountPath = $"/v3/system-accounts/{account}";

        await Valid(await api.GetAsync(accountPath, Ct), "GET", "/v3/system-accounts/{accountId}");
        var patched = await api.PatchJsonAsync(accountPath, """{"description":"renamed"}""");
        Assert.Equal("renamed", (await patched.ExpectAsync(HttpStatusCode.OK)).GetProperty("description").GetString());
        await Valid(await api.PatchJsonAsync(accountPath, """{"name":"ci"}"""), "PATCH", "/v3/system-accounts/{accountId}");

        var conflict = await api.PostJsonAsync("/v3/system-accounts", """{"name":"ci","description":"again"}""");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        await Valid(conflict, "POST", "/v3/system-accounts");
        var missing = await api.GetAsync($"/v3/system-accounts/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Valid(missing, "GET", "/v3/system-accounts/{accountId}");
        var anonymous = await app.Anonymous.GetAsync("/v3/system-accounts", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await Valid(anonymous, "GET", "/v3/system-accounts");

        // Paging: meta.page counts every account, data holds the page.
        for (var i = 0; i < 3; i++)
        {
            await SystemAccounts.CreateAsync(app, $"paged-{i}");
        }
        var page = await api.GetAsync("/v3/system-accounts?page[size]=2&page[number]=2", Ct);
        await Valid(page, "GET", "/v3/system-accounts");
        var pageJson = await page.JsonAsync();
        Assert.Equal(4, pageJson.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        Assert.Equal(2, pageJson.GetProperty("data").GetArrayLength());
        var badPage = await api.GetAsync("/v3/system-accounts?page[size]=0", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        await Valid(badPage, "GET", "/v3/system-accounts");
        var named = await (await api.GetAsync("/v3/system-accounts?filter[name][contains]=paged", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, named.GetProperty("data").GetArrayLength());

        var token = await api.PostJsonAsync($"{accountPath}/access-tokens", $$"""{"name":"deploy","expires_at":"{{DateTimeOffset.UtcNow.AddDays(30):O}}"}""");
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);
        await Valid(token, "POST", "/v3/system-accounts/{accountId}/access-tokens");
        var tokenId = (await token.JsonAsync()).GetProperty("id").GetString();
        var tokenPath = $"{accountPath}/access-tokens/{tokenId}";
        await Valid(await api.GetAsync(tokenPath, Ct), "GET", "/v3/system-accounts/{accountId}/access-tokens/{tokenId}");
        var renamed = await api.PatchJsonAsync(tokenPath, """{"name":"deploy-2"}""");
        await Valid(renamed, "PATCH", "/v3/system-accounts/{accountId}/access-tokens/{tokenId}");
        Assert.Equal("deploy-2", (await renamed.JsonAsync()).GetProperty("name").GetString());
        var sameName = await api.PostJsonAsync($"{accountPath}/access-tokens", $$"""{"name":"deploy-2","expires_at":"{{DateTimeOffset.UtcNow.AddDays(1):O}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, sameName.StatusCode);
        await Valid(sameName, "POST", "/v3/system-accounts/{accountId}/access-tokens");

        var role = await api.PostJsonAsync($"{accountPath}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{Guid.NewGuid()}}","entity_type_name":"Control Planes","entity_region":"eu"}""");
        Assert.Equal(HttpStatusCode.Created, role.StatusCode);
        await Valid(role, "POST", "/v3/system-accounts/{accountId}/assigned-roles");
        var roleBody = await role.JsonAsync();
        var rolePath = $"{accountPath}/assigned-roles/{roleBody.GetProperty("id").GetString()}";
        await Valid(await api.GetAsync(rolePath, Ct), "GET", "/v3/system-accounts/{accountId}/assigned-roles/{roleId}");
        var again = await api.PostJsonAsync($"{accountPath}/assigned-roles",
            $$"""{"role_name":"Viewer","entity_id":"{{roleBody.GetProperty("entity_id").GetString()}}","entity_type_name":"Control Planes","entity_region":"eu"}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await Valid(again, "POST", "/v3/system-accounts/{accountId}/assigned-roles");
        var roles = await (await api.GetAsync($"{accountPath}/assigned-roles", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, roles.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());

        var removed = await api.DeleteAsync(rolePath, Ct);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var gone = await api.DeleteAsync(rolePath, Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await Valid(gone, "DELETE", "/v3/system-accounts/{accountId}/assigned-roles/{roleId}");

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync(tokenPath, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync(accountPath, Ct)).StatusCode);
        var deleted = await api.DeleteAsync(accountPath, Ct);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        await Valid(deleted, "DELETE", "/v3/system-accounts/{accountId}");
    }

    [Fact]
    public async Task Role_assignments_are_validated()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var account = await SystemAccounts.CreateAsync(app, "validated");
        var path = $"/v3/system-accounts/{account}/assigned-roles";

        var invalid = await app.Client.PostJsonAsync(path, """{"role_name":"Root","entity_id":"cp-1","entity_type_name":"Portals","entity_region":"mars"}""");
        var fields = (await invalid.InvalidParametersAsync()).Select(p => p.Field).Order().ToList();
        Assert.Equal(["entity_id", "entity_region", "entity_type_name", "role_name"], fields);
        var missing = await app.Client.PostJsonAsync(path, "{}");
        Assert.Equal(4, (await missing.InvalidParametersAsync()).Count(p => p.Rule == "required"));

        // Every one of Konnect's eleven control plane roles may be assigned, on one control plane or on all.
        foreach (var role in new[] { "Admin", "Certificate Admin", "Consumer Admin", "Creator", "Deployer", "Gateway Service Admin", "Plugin Admin", "Route Admin", "SNI Admin", "Upstream Admin", "Viewer" })
        {
            await SystemAccounts.AssignAsync(app, account, role, "*");
        }
        var listed = await (await app.Client.GetAsync($"{path}?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(11, listed.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_token_is_shown_once_and_stored_only_as_its_hash()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var account = await SystemAccounts.CreateAsync(app, "hashed");
        var secret = await SystemAccounts.CreateTokenAsync(app, account);
        Assert.Matches("^spat_[0-9A-Za-z]{43}$", secret);

        var listed = await (await app.Client.GetAsync($"/v3/system-accounts/{account}/access-tokens", Ct)).ExpectAsync(HttpStatusCode.OK);
        var token = Assert.Single(listed.GetProperty("data").EnumerateArray());
        Assert.False(token.TryGetProperty("token", out _));
        var read = await app.Client.GetAsync($"/v3/system-accounts/{account}/access-tokens/{token.GetProperty("id").GetString()}", Ct);
        var readText = await read.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.DoesNotContain(secret, readText);
        Assert.DoesNotContain(secret[5..], listed.GetRawText());

        var table = new TableServiceClient(storage.ConnectionString).GetTableClient($"{app.Prefix}identity");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(row);
        }
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.DoesNotContain(secret[5..], row.RowKey);
            Assert.All(row, property => Assert.DoesNotContain(secret[5..], property.Value?.ToString() ?? ""));
        }
        Assert.Contains(rows, row => row.RowKey == $"tokenhash:{hash}");
        Assert.Contains(rows, row => row.GetString("Hash") == hash);
    }

    [Fact]
    public async Task Expired_deleted_and_orphaned_tokens_are_refused()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var (account, client) = await SystemAccounts.WithRolesAsync(app, "revoked", ("Viewer", "*"));
        using var _ = client;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/control-planes", Ct)).StatusCode);

        // A token that expires is refused from then on, even while its holder is remembered.
        using var shortLived = SystemAccounts.ClientWith(app, await SystemAccounts.CreateTokenAsync(app, account, "short", DateTimeOffset.UtcNow.AddSeconds(2)));
        Assert.Equal(HttpStatusCode.OK, (await shortLived.GetAsync("/v2/control-planes", Ct)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await shortLived.GetAsync("/v2/control-planes", Ct)).StatusCode);
        var past = await app.Client.PostJsonAsync($"/v3/system-accounts/{account}/access-tokens", $$"""{"name":"past","expires_at":"{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}"}""");
        Assert.Contains(await past.InvalidParametersAsync(), p => p.Field == "expires_at");
        foreach (var loose in new[] { "2030-01-01", "2030-01-01T00:00:00", "next year" })
        {
            var refused = await app.Client.PostJsonAsync($"/v3/system-accounts/{account}/access-tokens", $$"""{"name":"loose","expires_at":"{{loose}}"}""");
            Assert.Contains(await refused.InvalidParametersAsync(), p => p.Field == "expires_at" && p.Rule == "is_date_time");
        }

        // Deleting a token refuses it on the very next request.
        var tokens = await (await app.Client.GetAsync($"/v3/system-accounts/{account}/access-tokens", Ct)).ExpectAsync(HttpStatusCode.OK);
        var ci = tokens.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "ci").GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/system-accounts/{account}/access-tokens/{ci}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v2/control-planes", Ct)).StatusCode);

        // Deleting the account refuses every token it had.
        using var another = SystemAccounts.ClientWith(app, await SystemAccounts.CreateTokenAsync(app, account, "another"));
        Assert.Equal(HttpStatusCode.OK, (await another.GetAsync("/v2/control-planes", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v3/system-accounts/{account}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await another.GetAsync("/v2/control-planes", Ct)).StatusCode);

        // Lookalikes and garbage are refused, not errors.
        using var forged = SystemAccounts.ClientWith(app, "spat_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/v2/control-planes", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_tokens_last_use_is_noted_at_most_once_a_minute()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var (account, client) = await SystemAccounts.WithRolesAsync(app, "busy", ("Viewer", "*"));
        using var busy = client;
        var tokens = $"/v3/system-accounts/{account}/access-tokens";
        var unused = (await (await app.Client.GetAsync(tokens, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")[0];
        Assert.False(unused.TryGetProperty("last_used_at", out _));

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/control-planes", Ct)).StatusCode);
        var first = (await (await app.Client.GetAsync(tokens, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")[0].GetProperty("last_used_at").GetDateTimeOffset();
        Assert.InRange(first, before, DateTimeOffset.UtcNow.AddSeconds(1));
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(200, Ct);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/control-planes", Ct)).StatusCode);
        }
        var later = (await (await app.Client.GetAsync(tokens, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data")[0].GetProperty("last_used_at").GetDateTimeOffset();
        Assert.Equal(first, later);
    }

    [Fact]
    public async Task A_token_revoked_on_one_instance_is_refused_by_another_within_seconds()
    {
        var prefix = storage.UniqueName("t");
        await using var first = await RunningApp.StartAsync(storage, prefix: prefix);
        await using var second = await RunningApp.StartAsync(storage, prefix: prefix);
        var account = await SystemAccounts.CreateAsync(first, "shared");
        await SystemAccounts.AssignAsync(first, account, "Viewer", "*");
        var token = await SystemAccounts.CreateTokenAsync(first, account);
        using var onSecond = SystemAccounts.ClientWith(second, token);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/v2/control-planes", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await first.Client.DeleteAsync($"/v3/system-accounts/{account}", Ct)).StatusCode);
        await Refusal.ArrivesWithinSecondsAsync(onSecond, "/v2/control-planes", HttpStatusCode.Unauthorized, Ct);
    }

    [Fact]
    public async Task A_system_account_may_not_manage_identities()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var (_, client) = await SystemAccounts.WithRolesAsync(app, "climber", ("Admin", "*"), ("Creator", "*"));
        using var _ = client;
        var refused = await client.PostJsonAsync("/v3/system-accounts", """{"name":"escalated","description":"x"}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await Valid(refused, "POST", "/v3/system-accounts");
        Assert.Contains("system account 'climber' lacks organization admin", (await refused.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v3/system-accounts", Ct)).StatusCode);
    }
}
