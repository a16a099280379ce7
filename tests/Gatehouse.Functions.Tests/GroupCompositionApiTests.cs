using System.Net;
using System.Text.Json;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>A group's snapshot is the union of its members', kept at the last good one while they conflict.</summary>
public sealed class GroupCompositionApiTests(StorageFixture storage) : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await RunningApp.StartAsync(storage);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Api => _app.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> CreateAsync(string name, bool group = false) =>
        (await (await Api.PostJsonAsync("/v2/control-planes",
            $$"""{"name":"{{name}}","cluster_type":"{{(group ? "CLUSTER_TYPE_CONTROL_PLANE_GROUP" : "CLUSTER_TYPE_CONTROL_PLANE")}}"}""")).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

    private async Task PostAsync(string controlPlane, string path, string json) =>
        await (await Api.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities{path}", json)).ExpectAsync(HttpStatusCode.Created);

    private async Task<JsonElement> WaitAsync(string path, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var body = await (await Api.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK);
            if (condition(body))
            {
                return body;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path} never got there: {body.GetRawText()}");
            await Task.Delay(50, Ct);
        }
    }

    private static IEnumerable<string> ServiceNames(JsonElement config) =>
        config.TryGetProperty("services", out var services) ? services.EnumerateArray().Select(s => s.GetProperty("name").GetString()!) : [];

    [Fact]
    public async Task The_group_serves_the_union_and_follows_member_writes_and_membership()
    {
        var group = await CreateAsync("union", group: true);
        var (a, b) = (await CreateAsync("union-a"), await CreateAsync("union-b"));
        await PostAsync(a, "/services", """{"name":"orders","host":"o.internal"}""");
        await PostAsync(b, "/services", """{"name":"billing","host":"b.internal"}""");
        await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{a}}"},{"id":"{{b}}"}]}""")).ExpectAsync(HttpStatusCode.NoContent);

        var config = await WaitAsync($"/v2/control-planes/{group}/declarative-config", c => ServiceNames(c).Count() == 2);
        OpenApiAssert.Valid(ReferenceSpecs.KongDeclarativeConfig, config);

        // A write to a member reaches the group.
        await PostAsync(a, "/services/orders/routes", """{"name":"orders","paths":["/orders"]}""");
        await WaitAsync($"/v2/control-planes/{group}/declarative-config", c => c.TryGetProperty("routes", out var r) && r.GetArrayLength() == 1);

        // A member that leaves takes its entities with it.
        await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/remove", $$"""{"members":[{"id":"{{b}}"}]}""")).ExpectAsync(HttpStatusCode.NoContent);
        await WaitAsync($"/v2/control-planes/{group}/declarative-config", c => ServiceNames(c).SequenceEqual(["orders"]));

        var status = await Api.GetAsync($"/v2/control-planes/{group}/group-status", Ct);
        await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.ControlPlanes, "GET", "/control-planes/{controlPlaneId}/group-status", status, Ct);
        Assert.Equal("OK", (await status.JsonAsync()).GetProperty("item").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_conflict_keeps_the_last_good_snapshot_and_is_listed_until_resolved()
    {
        var group = await CreateAsync("conflicted", group: true);
        var (a, b) = (await CreateAsync("conflict-a"), await CreateAsync("conflict-b"));
        await PostAsync(a, "/services", """{"name":"shared-name","host":"a.internal"}""");
        await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{a}}"},{"id":"{{b}}"}]}""")).ExpectAsync(HttpStatusCode.NoContent);
        var good = await WaitAsync($"/v2/control-planes/{group}/declarative-config", c => ServiceNames(c).SequenceEqual(["shared-name"]));
        var goodHash = (await (await Api.GetAsync($"/v2/control-planes/{group}/expected-config-hash", Ct)).JsonAsync()).GetProperty("expected_hash").GetString();

        // B brings a second service of the same name, and a second global plugin of one name.
        await PostAsync(a, "/plugins", """{"name":"cors"}""");
        await WaitAsync($"/v2/control-planes/{group}/declarative-config", c => c.TryGetProperty("plugins", out _));
        goodHash = (await (await Api.GetAsync($"/v2/control-planes/{group}/expected-config-hash", Ct)).JsonAsync()).GetProperty("expected_hash").GetString();
        await PostAsync(b, "/services", """{"name":"shared-name","host":"b.internal"}""");
        await PostAsync(b, "/plugins", """{"name":"cors"}""");

        var status = await WaitAsync($"/v2/control-planes/{group}/group-status",
            s => s.GetProperty("item").GetProperty("conflicts").GetArrayLength() == 2);
        var item = status.GetProperty("item");
        Assert.Equal("CONFLICT", item.GetProperty("state").GetString());
        var conflicts = item.GetProperty("conflicts").EnumerateArray().ToList();
        Assert.All(conflicts, c => Assert.Contains(c.GetProperty("cluster_id").GetString(), new[] { a, b }));
        Assert.Contains(conflicts, c => c.GetProperty("resource").GetProperty("type").GetString() == "service"
            && c.GetProperty("description").GetString()!.Contains("shared-name", StringComparison.Ordinal));
        Assert.Contains(conflicts, c => c.GetProperty("resource").GetProperty("type").GetString() == "plugin"
            && c.GetProperty("description").GetString()!.Contains("global plugin cors", StringComparison.Ordinal));
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanes, "GET", "/control-planes/{controlPlaneId}/group-status", 200, "application/json", status);

        // Data planes keep the last good snapshot.
        var held = (await (await Api.GetAsync($"/v2/control-planes/{group}/expected-config-hash", Ct)).JsonAsync()).GetProperty("expected_hash").GetString();
        Assert.Equal(goodHash, held);

        // Resolving the conflicts moves the group on.
        var bodyB = await (await Api.GetAsync($"/v2/control-planes/{b}/core-entities/plugins", Ct)).JsonAsync();
        await (await Api.DeleteAsync($"/v2/control-planes/{b}/core-entities/plugins/{bodyB.GetProperty("data")[0].GetProperty("id").GetString()}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await Api.PatchJsonAsync($"/v2/control-planes/{b}/core-entities/services/shared-name", """{"name":"renamed"}""")).ExpectAsync(HttpStatusCode.OK);
        await WaitAsync($"/v2/control-planes/{group}/declarative-config", c => ServiceNames(c).Order().SequenceEqual(["renamed", "shared-name"]));
        Assert.Equal("OK", (await WaitAsync($"/v2/control-planes/{group}/group-status", s => s.GetProperty("item").GetProperty("state").GetString() == "OK"))
            .GetProperty("item").GetProperty("state").GetString());
        Assert.NotEqual(good.GetRawText(), (await (await Api.GetAsync($"/v2/control-planes/{group}/declarative-config", Ct)).JsonAsync()).GetRawText());
    }

    [Fact]
    public async Task Fifty_concurrent_writers_to_the_members_all_reach_the_group_snapshot()
    {
        var group = await CreateAsync("busy-group", group: true);
        var members = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await CreateAsync($"busy-member-{i}"));
        }
        await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add",
            JsonSerializer.Serialize(new { members = members.Select(id => new { id }) }))).ExpectAsync(HttpStatusCode.NoContent);

        var writes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Api.PostJsonAsync($"/v2/control-planes/{members[i % 5]}/core-entities/services", $$"""{"name":"svc-{{i}}","host":"h.internal"}""")));
        Assert.All(writes, w => Assert.Equal(HttpStatusCode.Created, w.StatusCode));

        var config = await WaitAsync($"/v2/control-planes/{group}/declarative-config", c => ServiceNames(c).Count() == 50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"svc-{i}").Order(), ServiceNames(config).Order());
    }

    [Fact]
    public async Task Group_status_is_for_groups_only()
    {
        var plain = await CreateAsync("not-a-group");
        Assert.Contains(await (await Api.GetAsync($"/v2/control-planes/{plain}/group-status", Ct)).InvalidParametersAsync(), p => p.Field == "controlPlaneId");
    }
}
