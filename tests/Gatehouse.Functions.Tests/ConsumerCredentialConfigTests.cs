using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Consumer credentials in declarative config: imported nested in their consumer, exported the
/// same way with passwords hashed and marked so, round trips without changes, and clashes across
/// the members of a control plane group.
/// </summary>
public sealed class ConsumerCredentialConfigTests(StorageFixture storage) : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await RunningApp.StartAsync(storage);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Api => _app.Client;

    private async Task<string> ControlPlaneAsync(string name, bool group = false) =>
        (await (await Api.PostJsonAsync("/v2/control-planes",
            $$"""{"name":"{{name}}","cluster_type":"{{(group ? "CLUSTER_TYPE_CONTROL_PLANE_GROUP" : "CLUSTER_TYPE_CONTROL_PLANE")}}"}""")).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

    private async Task<JsonElement> ImportAsync(string cp, JsonNode document, HttpStatusCode status = HttpStatusCode.OK) =>
        await (await Api.PutAsync($"/v2/control-planes/{cp}/declarative-config", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"), Ct))
            .ExpectAsync(status);

    private static JsonObject File(string consumers) => JsonNode.Parse($$"""{"_format_version":"3.0","consumers":{{consumers}}}""")!.AsObject();

    [Fact]
    public async Task A_plaintext_password_is_imported_hashed_and_importing_the_same_file_again_changes_nothing()
    {
        var cp = await ControlPlaneAsync("creds-plain");
        var file = File("""[{"id":"6f0c7a1e-8d4b-4a3e-9c2f-1b5d7e9a0c11","username":"alice","basicauth_credentials":[{"username":"alice","password":"open-sesame"}]}]""");
        var created = await ImportAsync(cp, file);
        Assert.Equal(2, created.GetProperty("summary").GetProperty("creating").GetInt32());

        var stored = await (await Api.GetAsync($"/v2/control-planes/{cp}/core-entities/basic-auths/alice", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(BasicAuthPasswords.Hash("6f0c7a1e-8d4b-4a3e-9c2f-1b5d7e9a0c11", "open-sesame"), stored.GetProperty("password").GetString());

        // The same plaintext hashes to the same value: nothing to do. Another password is an update, hashed too.
        var again = await ImportAsync(cp, file);
        Assert.Equal(0, again.GetProperty("changes").GetArrayLength());
        file["consumers"]![0]!["basicauth_credentials"]![0]!["password"] = "changed";
        var changed = await ImportAsync(cp, file);
        var change = Assert.Single(changed.GetProperty("changes").EnumerateArray());
        Assert.Equal(["password"], change.GetProperty("changed_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("basicauth_credential", change.GetProperty("entity_type").GetString());
        var updated = await (await Api.GetAsync($"/v2/control-planes/{cp}/core-entities/basic-auths/alice", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(BasicAuthPasswords.Hash("6f0c7a1e-8d4b-4a3e-9c2f-1b5d7e9a0c11", "changed"), updated.GetProperty("password").GetString());
    }

    [Theory]
    [InlineData("""{"_format_version":"3.0","_transform":false}""")]
    [InlineData("""{"_format_version":"3.0","_info":{"skip_hash_for_basic_auth":true}}""")]
    public async Task A_file_that_says_its_passwords_are_hashed_keeps_them_as_given(string header)
    {
        var cp = await ControlPlaneAsync("creds-hashed");
        var hash = BasicAuthPasswords.Hash("6f0c7a1e-8d4b-4a3e-9c2f-1b5d7e9a0c12", "open-sesame");
        var file = JsonNode.Parse(header)!.AsObject();
        file["consumers"] = JsonNode.Parse($$"""[{"id":"6f0c7a1e-8d4b-4a3e-9c2f-1b5d7e9a0c12","username":"bob","basicauth_credentials":[{"username":"bob","password":"{{hash}}"}]}]""");
        await ImportAsync(cp, file);
        var stored = await (await Api.GetAsync($"/v2/control-planes/{cp}/core-entities/basic-auths/bob", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(hash, stored.GetProperty("password").GetString());

        var invalid = JsonNode.Parse("""{"_format_version":"3.0","_info":{"skip_hash_for_basic_auth":"yes"}}""")!;
        var refused = await ImportAsync(cp, invalid, HttpStatusCode.BadRequest);
        Assert.Contains("skip_hash_for_basic_auth", refused.GetProperty("flattened_errors").GetRawText());
    }

    [Fact]
    public async Task Every_credential_type_round_trips_through_export_into_another_control_plane_unchanged()
    {
        var source = await ControlPlaneAsync("creds-source");
        await ImportAsync(source, DeclarativeImportTests.NestedConfig());
        var exported = await DeclarativeImportTests.ExportWhenAsync(_app, source, (_, c) => c["consumers"] is not null);
        OpenApiAssert.Valid(ReferenceSpecs.KongDeclarativeConfig, JsonDocument.Parse(exported.ToJsonString()).RootElement);
        Assert.DoesNotContain(DeclarativeImportTests.BasicAuthPassword, exported.ToJsonString(), StringComparison.Ordinal);

        // Into the control plane it came from, and into a fresh one: nothing changes, byte for byte.
        var same = await ImportAsync(source, exported);
        Assert.Equal(0, same.GetProperty("changes").GetArrayLength());
        var copy = await ControlPlaneAsync("creds-copy");
        await ImportAsync(copy, exported);
        var copied = await DeclarativeImportTests.ExportWhenAsync(_app, copy, (_, c) => c["consumers"] is not null);
        Assert.Equal(exported.ToJsonString(), copied.ToJsonString());
        Assert.Equal(0, (await ImportAsync(copy, copied)).GetProperty("changes").GetArrayLength());

        // The password the copy checks against is the one the user wrote, salted with the same consumer.
        var alice = copied["consumers"]!.AsArray().Single(c => c!["username"]!.GetValue<string>() == "alice")!;
        Assert.Equal(BasicAuthPasswords.Hash(alice["id"]!.GetValue<string>(), DeclarativeImportTests.BasicAuthPassword),
            alice["basicauth_credentials"]![0]!["password"]!.GetValue<string>());
        Assert.Equal(4_102_444_800, alice["keyauth_credentials"]![0]!["ttl"]!.GetValue<long>());
    }

    [Fact]
    public async Task Dropping_a_consumer_from_the_file_removes_its_credentials_and_top_level_sections_name_their_consumer()
    {
        var cp = await ControlPlaneAsync("creds-sync");
        await ImportAsync(cp, JsonNode.Parse("""
            {"_format_version":"3.0",
             "consumers":[{"username":"alice"},{"username":"bob"}],
             "keyauth_credentials":[{"key":"alice-key","consumer":"alice"},{"key":"bob-key","consumer":{"username":"bob"}}],
             "acls":[{"group":"gold","consumer":"alice"}]}
            """)!);
        var root = $"/v2/control-planes/{cp}/core-entities";
        await (await Api.GetAsync($"{root}/consumers/alice/key-auth/alice-key", Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await Api.GetAsync($"{root}/consumers/alice/acls/gold", Ct)).ExpectAsync(HttpStatusCode.OK);

        var result = await ImportAsync(cp, File("""[{"username":"bob","keyauth_credentials":[{"key":"bob-key"}]}]"""));
        Assert.Equal(["delete acl", "delete consumer", "delete keyauth_credential"],
            result.GetProperty("changes").EnumerateArray().Select(c => $"{c.GetProperty("action").GetString()} {c.GetProperty("entity_type").GetString()}").Order());
        await (await Api.GetAsync($"{root}/key-auths/alice-key", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"{root}/key-auths/bob-key", Ct)).ExpectAsync(HttpStatusCode.OK);

        // A key held by another consumer in the same file is Kong's unique violation, with where it is.
        var refused = await ImportAsync(cp, File("""[{"username":"bob","keyauth_credentials":[{"key":"same"}]},{"username":"carol","keyauth_credentials":[{"key":"same"}]}]"""),
            HttpStatusCode.BadRequest);
        Assert.Contains("consumers[", refused.GetProperty("flattened_errors").GetRawText());
        Assert.Contains("keyauth_credentials[0]", refused.GetProperty("flattened_errors").GetRawText());
    }

    [Fact]
    public async Task Credentials_that_collide_across_the_members_of_a_group_are_conflicts()
    {
        var group = await ControlPlaneAsync("creds-group", group: true);
        var (a, b) = (await ControlPlaneAsync("creds-member-a"), await ControlPlaneAsync("creds-member-b"));
        await ImportAsync(a, File("""[{"username":"alice","keyauth_credentials":[{"key":"shared-key"}],"basicauth_credentials":[{"username":"shared","password":"x"}],"acls":[{"group":"gold"}]}]"""));
        await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{a}}"},{"id":"{{b}}"}]}""")).ExpectAsync(HttpStatusCode.NoContent);
        await DeclarativeImportTests.ExportWhenAsync(_app, group, (_, c) => c["consumers"] is not null);

        // B's consumer is another one, with the same ACL group (a string that may cross members), a key and a basic-auth username that may not.
        await ImportAsync(b, File("""[{"username":"bob","keyauth_credentials":[{"key":"shared-key"}],"basicauth_credentials":[{"username":"shared","password":"y"}],"acls":[{"group":"gold"}],"jwt_secrets":[{"key":"b-iss"}]}]"""));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement status;
        while (true)
        {
            status = await (await Api.GetAsync($"/v2/control-planes/{group}/group-status", Ct)).ExpectAsync(HttpStatusCode.OK);
            if (status.GetProperty("item").GetProperty("conflicts").GetArrayLength() >= 2)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no conflicts: {status.GetRawText()}");
            await Task.Delay(50, Ct);
        }
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanes, "GET", "/control-planes/{controlPlaneId}/group-status", 200, "application/json", status);
        var conflicts = status.GetProperty("item").GetProperty("conflicts").EnumerateArray().ToList();
        Assert.Equal("CONFLICT", status.GetProperty("item").GetProperty("state").GetString());
        Assert.Equal(["basicauth_credential", "keyauth_credential"], conflicts.Select(c => c.GetProperty("resource").GetProperty("type").GetString()).Order());
        Assert.Contains(conflicts, c => c.GetProperty("description").GetString()!.EndsWith("username=shared", StringComparison.Ordinal));
        // A key-auth key is a secret: the conflict names it without showing it.
        var keyConflict = conflicts.Single(c => c.GetProperty("resource").GetProperty("type").GetString() == "keyauth_credential");
        Assert.DoesNotContain("shared-key", keyConflict.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("key", keyConflict.GetProperty("description").GetString(), StringComparison.Ordinal);
        // Reported against one member (the one composed after the other), the same for both.
        Assert.Single(conflicts.Select(c => c.GetProperty("cluster_id").GetString()).Distinct());
        Assert.Contains(conflicts[0].GetProperty("cluster_id").GetString(), new[] { a, b });

        // B takes other values: the group composes, with both consumers' credentials.
        await ImportAsync(b, File("""[{"username":"bob","keyauth_credentials":[{"key":"bob-key"}],"basicauth_credentials":[{"username":"bob","password":"y"}],"acls":[{"group":"gold"}]}]"""));
        var config = await DeclarativeImportTests.ExportWhenAsync(_app, group, (_, c) => c["consumers"]?.AsArray().Count == 2);
        Assert.All(config["consumers"]!.AsArray(), c => Assert.Single(c!["keyauth_credentials"]!.AsArray()));
        Assert.False(config["_transform"]!.GetValue<bool>());
    }
}
