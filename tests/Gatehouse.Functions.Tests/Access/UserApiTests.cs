using System.Net;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>/v3/users, /v3/users/me and personal access tokens (kpat_) over HTTP.</summary>
public sealed class UserApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        return problem;
    }

    [Fact]
    public async Task Users_are_created_read_changed_filtered_and_deleted()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var api = app.Client;

        var created = await (await api.PostJsonAsync("/v3/users", """{"email":"Alice@Example.com","full_name":"Alice Smith","preferred_name":"Al"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.Equal("Alice@Example.com", created.GetProperty("email").GetString());
        Assert.Equal("Alice Smith", created.GetProperty("full_name").GetString());
        Assert.Equal("Al", created.GetProperty("preferred_name").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.True(created.TryGetProperty("created_at", out _));
        Assert.True(created.TryGetProperty("updated_at", out _));

        await ProblemAsync(await api.PostJsonAsync("/v3/users", """{"email":"alice@example.COM","full_name":"Another Alice"}"""), HttpStatusCode.Conflict);
        var invalid = await ProblemAsync(await api.PostJsonAsync("/v3/users", """{"email":"not an email","nickname":"x"}"""), HttpStatusCode.BadRequest);
        var fields = invalid.GetProperty("invalid_parameters").EnumerateArray().Select(p => p.GetProperty("field").GetString()).ToList();
        Assert.Contains("full_name", fields);
        Assert.Contains("nickname", fields);
        await ProblemAsync(await api.PostJsonAsync("/v3/users", """{"email":"a@b","full_name":"   "}"""), HttpStatusCode.BadRequest);

        var patched = await (await api.PatchJsonAsync($"/v3/users/{id}", """{"full_name":"Alice Jones"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Alice Jones", patched.GetProperty("full_name").GetString());
        Assert.Equal("Al", patched.GetProperty("preferred_name").GetString());
        await ProblemAsync(await api.PatchJsonAsync($"/v3/users/{id}", """{"email":"x@y.z"}"""), HttpStatusCode.BadRequest);
        Assert.Equal("Alice Jones", (await (await api.GetAsync($"/v3/users/{id}", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("full_name").GetString());

        await Identities.CreateUserAsync(app, "bob@example.com", "Bob Jones");
        await Identities.CreateUserAsync(app, "carol@example.org", "Carol King");
        var page = await (await api.GetAsync("/v3/users?page[size]=2&page[number]=2", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, page.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
        Assert.Equal("carol@example.org", Assert.Single(page.GetProperty("data").EnumerateArray()).GetProperty("email").GetString());
        var jones = await (await api.GetAsync("/v3/users?filter[full_name][contains]=jones", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, jones.GetProperty("data").GetArrayLength());
        var exact = await (await api.GetAsync("/v3/users?filter[email]=bob@example.com", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Bob Jones", Assert.Single(exact.GetProperty("data").EnumerateArray()).GetProperty("full_name").GetString());
        await ProblemAsync(await api.GetAsync("/v3/users?filter[id][contains]=a", Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await api.GetAsync("/v3/users?sort=email", Ct), HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v3/users/{id}", Ct)).StatusCode);
        await ProblemAsync(await api.GetAsync($"/v3/users/{id}", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await api.DeleteAsync($"/v3/users/{id}", Ct), HttpStatusCode.NotFound);
        // The email is free again once its user is gone.
        await Identities.CreateUserAsync(app, "alice@example.com");
    }

    [Fact]
    public async Task A_personal_access_token_is_shown_once_authenticates_its_user_and_is_revoked_at_once()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var alice = await Identities.CreateUserAsync(app, "alice@example.com", "Alice Smith");
        var created = await (await app.Client.PostJsonAsync($"/v3/users/{alice}/access-tokens", """{"name":"laptop","ttl_seconds":86400}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var secret = created.GetProperty("konnect_token").GetString()!;
        Assert.Matches("^kpat_[0-9A-Za-z]{43}$", secret);
        Assert.Equal("ACTIVE", created.GetProperty("state").GetString());
        Assert.Equal(alice, created.GetProperty("user_id").GetString());
        var lifetime = created.GetProperty("expires_at").GetDateTimeOffset() - created.GetProperty("created_at").GetDateTimeOffset();
        Assert.InRange(lifetime.TotalSeconds, 86399, 86401);
        var tokenPath = $"/v3/users/{alice}/access-tokens/{created.GetProperty("id").GetString()}";

        var listed = await (await app.Client.GetAsync($"/v3/users/{alice}/access-tokens", Ct)).ExpectAsync(HttpStatusCode.OK);
        var token = Assert.Single(listed.GetProperty("data").EnumerateArray());
        Assert.False(token.TryGetProperty("konnect_token", out _));
        Assert.DoesNotContain(secret[5..], listed.GetRawText());
        Assert.DoesNotContain(secret[5..], await (await app.Client.GetAsync(tokenPath, Ct)).Content.ReadAsStringAsync(Ct));

        using var asAlice = SystemAccounts.ClientWith(app, secret);
        var me = await (await asAlice.GetAsync("/v3/users/me", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(alice, me.GetProperty("id").GetString());
        Assert.Equal("alice@example.com", me.GetProperty("email").GetString());
        // A user with no role may do nothing else: not even read the list of users.
        await ProblemAsync(await asAlice.GetAsync("/v3/users", Ct), HttpStatusCode.Forbidden);

        var renamed = await (await asAlice.PatchJsonAsync(tokenPath, """{"name":"old laptop"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("old laptop", renamed.GetProperty("name").GetString());

        var revoked = await (await app.Client.PatchAsync($"{tokenPath}/revoke", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("REVOKED", revoked.GetProperty("state").GetString());
        Assert.True(revoked.TryGetProperty("revoked_at", out _));
        Assert.False(revoked.TryGetProperty("revoked_by", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await asAlice.GetAsync("/v3/users/me", Ct)).StatusCode);
        var stillListed = await (await app.Client.GetAsync($"/v3/users/{alice}/access-tokens", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("REVOKED", Assert.Single(stillListed.GetProperty("data").EnumerateArray()).GetProperty("state").GetString());
        Assert.Equal("REVOKED", (await (await app.Client.PatchAsync($"{tokenPath}/revoke", null, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync(tokenPath, Ct)).StatusCode);
        await ProblemAsync(await app.Client.GetAsync(tokenPath, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_user_manages_its_own_tokens_and_nobody_elses()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var alice = await Identities.CreateUserAsync(app, "alice@example.com");
        var bob = await Identities.CreateUserAsync(app, "bob@example.com");
        var (_, aliceSecret) = await Identities.CreatePatAsync(app, alice);
        var (bobToken, bobSecret) = await Identities.CreatePatAsync(app, bob);
        using var asAlice = SystemAccounts.ClientWith(app, aliceSecret);
        using var asBob = SystemAccounts.ClientWith(app, bobSecret);

        var own = await (await asAlice.PostJsonAsync($"/v3/users/{alice}/access-tokens", """{"name":"cli","ttl_seconds":600}""")).ExpectAsync(HttpStatusCode.Created);
        var ownPath = $"/v3/users/{alice}/access-tokens/{own.GetProperty("id").GetString()}";
        var revoked = await (await asAlice.PatchAsync($"{ownPath}/revoke", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(alice, revoked.GetProperty("revoked_by").GetString());

        await ProblemAsync(await asAlice.GetAsync($"/v3/users/{bob}/access-tokens", Ct), HttpStatusCode.Forbidden);
        await ProblemAsync(await asAlice.PostJsonAsync($"/v3/users/{bob}/access-tokens", """{"name":"evil","ttl_seconds":600}"""), HttpStatusCode.Forbidden);
        await ProblemAsync(await asAlice.PatchAsync($"/v3/users/{bob}/access-tokens/{bobToken}/revoke", null, Ct), HttpStatusCode.Forbidden);
        await ProblemAsync(await asAlice.DeleteAsync($"/v3/users/{bob}/access-tokens/{bobToken}", Ct), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await asBob.GetAsync("/v3/users/me", Ct)).StatusCode);

        var (_, ciClient) = await SystemAccounts.WithRolesAsync(app, "ci", ("Admin", "*"));
        using (ciClient)
        {
            await ProblemAsync(await ciClient.GetAsync($"/v3/users/{alice}/access-tokens", Ct), HttpStatusCode.Forbidden);
            var notAUser = await ProblemAsync(await ciClient.GetAsync("/v3/users/me", Ct), HttpStatusCode.Forbidden);
            Assert.Contains("system account 'ci' is not a user", notAUser.GetProperty("detail").GetString());
        }
        var adminIsNoUser = await ProblemAsync(await app.Client.GetAsync("/v3/users/me", Ct), HttpStatusCode.Forbidden);
        Assert.Contains("organization admin", adminIsNoUser.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Token_lifetime_and_count_are_bounded()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var alice = await Identities.CreateUserAsync(app, "alice@example.com");
        var tokens = $"/v3/users/{alice}/access-tokens";

        foreach (var body in new[]
        {
            """{"name":"zero","ttl_seconds":0}""",
            """{"name":"past","ttl_seconds":-5}""",
            """{"name":"13 months","ttl_seconds":31536001}""",
            """{"name":"huge","ttl_seconds":99999999999999}""",
            """{"name":"text","ttl_seconds":"3600"}""",
            """{"name":"forever"}""",
            """{"ttl_seconds":3600}""",
        })
        {
            var refused = await ProblemAsync(await app.Client.PostJsonAsync(tokens, body), HttpStatusCode.BadRequest);
            Assert.NotEmpty(refused.GetProperty("invalid_parameters").EnumerateArray());
        }
        var longest = await (await app.Client.PostJsonAsync(tokens, """{"name":"a year","ttl_seconds":31536000}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(365, (longest.GetProperty("expires_at").GetDateTimeOffset() - longest.GetProperty("created_at").GetDateTimeOffset()).TotalDays, 3);

        for (var i = 1; i < 10; i++)
        {
            await Identities.CreatePatAsync(app, alice, $"t{i}");
        }
        var eleventh = await ProblemAsync(await app.Client.PostJsonAsync(tokens, """{"name":"one too many","ttl_seconds":60}"""), HttpStatusCode.BadRequest);
        Assert.Contains("10", eleventh.GetProperty("invalid_parameters")[0].GetProperty("reason").GetString());

        // A revoked token no longer counts.
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PatchAsync($"{tokens}/{longest.GetProperty("id").GetString()}/revoke", null, Ct)).StatusCode);
        await Identities.CreatePatAsync(app, alice, "replacement");
        var all = await (await app.Client.GetAsync($"{tokens}?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(11, all.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_token_revoked_on_one_instance_is_refused_by_another_within_seconds()
    {
        var prefix = storage.UniqueName("t");
        await using var first = await RunningApp.StartAsync(storage, prefix: prefix);
        await using var second = await RunningApp.StartAsync(storage, prefix: prefix);
        var alice = await Identities.CreateUserAsync(first, "alice@example.com");
        var (tokenId, secret) = await Identities.CreatePatAsync(first, alice);
        using var onSecond = SystemAccounts.ClientWith(second, secret);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/v3/users/me", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await first.Client.PatchAsync($"/v3/users/{alice}/access-tokens/{tokenId}/revoke", null, Ct)).StatusCode);
        await Refusal.ArrivesWithinSecondsAsync(onSecond, "/v3/users/me", HttpStatusCode.Unauthorized, Ct);
    }
}
