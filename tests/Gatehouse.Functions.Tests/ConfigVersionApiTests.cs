using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// <c>/config-versions</c> (issue #14) on the real app: each change a version, a version's document,
/// the diff of two in the import dry run's shape, and restore through the import.
/// </summary>
public sealed class ConfigVersionApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Cp(string root) => root.Split('/')[3];

    private static async Task<string> HashAsync(RunningApp app, string cp) =>
        (await (await app.Client.GetAsync($"/v2/control-planes/{cp}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("expected_hash").GetString()!;

    /// <summary>Waits until the snapshot moves past <paramref name="previous"/>, and returns its hash and document.</summary>
    private static async Task<(string Hash, JsonObject Document)> NextSnapshotAsync(RunningApp app, string cp, string previous)
    {
        var document = await DeclarativeImportTests.ExportWhenAsync(app, cp, (hash, _) => hash != previous);
        return (await HashAsync(app, cp), document);
    }

    private static async Task<List<JsonElement>> VersionsAsync(RunningApp app, string cp)
    {
        var list = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/config-versions", Ct)).ExpectAsync(HttpStatusCode.OK);
        return [.. list.GetProperty("data").EnumerateArray()];
    }

    [Fact]
    public async Task Each_version_names_who_made_its_changes_as_the_audit_log_does_and_counts_what_they_changed()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("versions-made-by"));
        var (_, ci) = await Access.SystemAccounts.WithRolesAsync(app, "deployer-ci", ("Admin", cp));
        using var _ci = ci;
        var empty = await HashAsync(app, cp);

        await (await ci.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"by-ci","host":"ci.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var (byCi, _) = await NextSnapshotAsync(app, cp, empty);
        await (await app.Client.PatchJsonAsync($"/v2/control-planes/{cp}/core-entities/services/by-ci", """{"retries":1}""")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services/by-ci/routes", """{"name":"r","paths":["/r"]}"""))
            .ExpectAsync(HttpStatusCode.Created);
        await DeclarativeImportTests.ExportWhenAsync(app, cp, (_, doc) => doc["routes"] is JsonArray { Count: 1 });

        var versions = await VersionsAsync(app, cp);
        var first = versions.Single(v => v.GetProperty("hash").GetString() == byCi);
        Assert.Equal("system account 'deployer-ci'", first.GetProperty("created_by").GetString());
        Assert.Equal(1, first.GetProperty("changes").GetProperty("services").GetProperty("added").GetInt32());
        // The admin's two changes, in one version or two: each names the admin, and together they changed the service and added the route.
        var later = versions.TakeWhile(v => v.GetProperty("hash").GetString() != byCi).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, v => Assert.Equal("the organization admin", v.GetProperty("created_by").GetString()));
        int Count(string collection, string what) => later.Sum(v =>
            v.GetProperty("changes").TryGetProperty(collection, out var counts) ? counts.GetProperty(what).GetInt32() : 0);
        Assert.Equal(1, Count("services", "changed"));
        Assert.Equal(1, Count("routes", "added"));
    }

    [Fact]
    public async Task Restoring_a_version_makes_the_export_that_version_and_the_next_snapshot_its_hash()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("versions-restore"));
        var empty = await HashAsync(app, cp);

        await (await app.Client.PutAsync($"/v2/control-planes/{cp}/declarative-config",
            new StringContent(DeclarativeImportTests.NestedConfig().ToJsonString(), Encoding.UTF8, "application/json"), Ct)).ExpectAsync(HttpStatusCode.OK);
        var (k, documentK) = await NextSnapshotAsync(app, cp, empty);
        var orders = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/core-entities/services/orders", Ct)).ExpectAsync(HttpStatusCode.OK);

        // Two changes after version k: a service added, and one changed.
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"extra","host":"extra.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var (added, _) = await NextSnapshotAsync(app, cp, k);
        await (await app.Client.PatchJsonAsync($"/v2/control-planes/{cp}/core-entities/services/billing", """{"retries":2}""")).ExpectAsync(HttpStatusCode.OK);
        var (changed, _) = await NextSnapshotAsync(app, cp, added);

        // Newest first, each with what it changed per type.
        var versions = await VersionsAsync(app, cp);
        Assert.Equal([changed, added, k, empty], versions.Take(4).Select(v => v.GetProperty("hash").GetString()));
        Assert.Equal(1, versions[0].GetProperty("changes").GetProperty("services").GetProperty("changed").GetInt32());
        Assert.Equal(1, versions[1].GetProperty("changes").GetProperty("services").GetProperty("added").GetInt32());
        Assert.Equal(2, versions[2].GetProperty("changes").GetProperty("services").GetProperty("added").GetInt32());
        Assert.Equal("the organization admin", versions[0].GetProperty("created_by").GetString());
        Assert.True(versions[0].GetProperty("version").GetInt64() > versions[1].GetProperty("version").GetInt64());

        // Paged: one at a time, following meta.page.next.
        var first = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/config-versions?page[size]=1", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(changed, first.GetProperty("data")[0].GetProperty("hash").GetString());
        var next = first.GetProperty("meta").GetProperty("page").GetProperty("next").GetString()!;
        var second = await (await app.Client.GetAsync(next, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(added, second.GetProperty("data")[0].GetProperty("hash").GetString());

        // A version's document, as JSON and as YAML.
        var stored = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/config-versions/{k}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(documentK.ToJsonString(), JsonNode.Parse(stored.GetRawText())!.ToJsonString());
        using var yamlRequest = new HttpRequestMessage(HttpMethod.Get, $"/v2/control-planes/{cp}/config-versions/{added}");
        yamlRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        using var yaml = await app.Client.SendAsync(yamlRequest, Ct);
        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name: extra", await yaml.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The diff from k to now, in the import dry run's shape.
        var diff = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/config-versions/{k}/diff/{changed}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, diff.GetProperty("summary").GetProperty("creating").GetInt32());
        Assert.Equal(1, diff.GetProperty("summary").GetProperty("updating").GetInt32());
        Assert.Equal(0, diff.GetProperty("summary").GetProperty("deleting").GetInt32());
        var update = diff.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("action").GetString() == "update");
        Assert.Equal("billing", update.GetProperty("name").GetString());
        Assert.Equal(["retries"], update.GetProperty("changed_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("extra", diff.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("action").GetString() == "create").GetProperty("name").GetString());

        // Restore's dry run is the reverse diff, and writes nothing.
        var dry = await (await app.Client.PostAsync($"/v2/control-planes/{cp}/config-versions/{k}/restore?dry_run=true", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.False(dry.GetProperty("applied").GetBoolean());
        Assert.Equal(1, dry.GetProperty("summary").GetProperty("deleting").GetInt32());
        Assert.Equal(1, dry.GetProperty("summary").GetProperty("updating").GetInt32());
        Assert.Equal(changed, await HashAsync(app, cp));

        var restored = await (await app.Client.PostAsync($"/v2/control-planes/{cp}/config-versions/{k}/restore", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(restored.GetProperty("applied").GetBoolean());
        var (after, exported) = await NextSnapshotAsync(app, cp, changed);
        Assert.Equal(k, after);
        Assert.Equal(documentK.ToJsonString(), exported.ToJsonString());
        // Ids and created_at survive; the restore is a version like any change.
        var ordersAfter = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/core-entities/services/orders", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(orders.GetProperty("id").GetString(), ordersAfter.GetProperty("id").GetString());
        Assert.Equal(orders.GetProperty("created_at").GetInt64(), ordersAfter.GetProperty("created_at").GetInt64());
        var newest = (await VersionsAsync(app, cp))[0];
        Assert.Equal(k, newest.GetProperty("hash").GetString());
        Assert.Equal(1, newest.GetProperty("changes").GetProperty("services").GetProperty("removed").GetInt32());

        // Nothing by a hash it never had.
        using var unknown = await app.Client.GetAsync($"/v2/control-planes/{cp}/config-versions/{new string('0', 32)}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        using var bogus = await app.Client.GetAsync($"/v2/control-planes/{cp}/config-versions/..%2F..%2Fx/diff/{k}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, bogus.StatusCode);
    }

    [Fact]
    public async Task A_group_has_versions_but_refuses_a_restore_and_says_to_restore_its_members()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var member = Cp(await app.CreateControlPlaneAsync("versions-member"));
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"versions-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var group = created.GetProperty("id").GetString()!;
        var empty = await HashAsync(app, group);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{member}/core-entities/services", """{"name":"shared","host":"shared.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{member}}"}]}"""))
            .ExpectAsync(HttpStatusCode.NoContent);
        var (withMember, _) = await NextSnapshotAsync(app, group, empty);

        var versions = await VersionsAsync(app, group);
        Assert.Equal([withMember, empty], versions.Take(2).Select(v => v.GetProperty("hash").GetString()));
        Assert.Equal(1, versions[0].GetProperty("changes").GetProperty("services").GetProperty("added").GetInt32());

        using var refused = await app.Client.PostAsync($"/v2/control-planes/{group}/config-versions/{empty}/restore", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Restore the member control planes", (await refused.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(withMember, await HashAsync(app, group));
    }
}
