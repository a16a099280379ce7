using System.Net;
using System.Text.Json;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Tests.Access;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// <c>GET /v2/control-planes-summary</c>: each control plane of a page with its live nodes counted
/// as the node list judges them, a group's conflicts counted, paged and filtered as the control
/// plane list is, and counts only where the caller may read nodes.
/// </summary>
public sealed class ControlPlaneSummaryApiTests(StorageFixture storage)
{
    private const string Path = "/v2/control-planes-summary";
    private const string Cors = """[{"name":"cors","version":"3.9.1"}]""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nodes_are_counted_by_sync_and_compatibility_as_the_node_list_shows_them_and_a_groups_conflicts_are_counted()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:KongVersion"] = "3.9.1" });
        var cp = await kit.CreateControlPlaneAsync("summary-nodes");
        var empty = await kit.CreateControlPlaneAsync("summary-empty");
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"cors"}""");
        var (_, hash) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("plugins", out _));
        var (dp, _) = await kit.ConnectAsync(cp);
        // in sync and compatible ×2; out of sync and compatible; in sync but Kong too new; out of
        // sync lacking the plugin.
        var beats = new[]
        {
            DataPlaneKit.Heartbeat(Guid.NewGuid(), "3.9.1", Cors, hash),
            DataPlaneKit.Heartbeat(Guid.NewGuid(), "3.8.0.0", Cors, hash),
            DataPlaneKit.Heartbeat(Guid.NewGuid(), "3.9.1", Cors, ""),
            DataPlaneKit.Heartbeat(Guid.NewGuid(), "3.10.0", Cors, hash),
            DataPlaneKit.Heartbeat(Guid.NewGuid(), "3.9.1", "[]", "0123456789abcdef0123456789abcdef"),
        };
        foreach (var beat in beats)
        {
            await (await dp.PostJsonAsync("/v1/dp/heartbeat", beat)).ExpectAsync(HttpStatusCode.OK);
        }
        // A node whose version cannot be judged: heartbeats refuse such versions now, so it is a row
        // kept from before, written to the store as the node store writes any.
        var now = DateTimeOffset.UtcNow;
        await kit.App.Services.GetRequiredService<INodeStore>().UpsertAsync(new DataPlaneNode
        {
            Id = Guid.NewGuid(),
            ControlPlaneId = cp,
            Hostname = "old",
            Version = "",
            ConfigHash = hash,
            CertificateId = Guid.NewGuid(),
            LastPing = now,
            CreatedAt = now,
            UpdatedAt = now,
        }, Ct);

        // A group with one node of its own, whose members then collide on a service name.
        var group = await kit.CreateControlPlaneAsync("summary-group", group: true);
        var (a, b) = (await kit.CreateControlPlaneAsync("summary-member-a"), await kit.CreateControlPlaneAsync("summary-member-b"));
        await kit.PostEntityAsync(a, "/services", """{"name":"shared","host":"a.internal"}""");
        await (await kit.Admin.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{a}}"},{"id":"{{b}}"}]}"""))
            .ExpectAsync(HttpStatusCode.NoContent);
        await kit.WaitForConfigAsync(group, c => c.TryGetProperty("services", out var s) && s.GetArrayLength() == 1);
        var (groupDp, _) = await kit.ConnectAsync(group);
        await (await groupDp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(Guid.NewGuid(), "3.9.1", Cors, ""))).ExpectAsync(HttpStatusCode.OK);
        await kit.PostEntityAsync(b, "/services", """{"name":"shared","host":"b.internal"}""");
        await WaitUntilAsync(kit, $"/v2/control-planes/{group}/group-status", s => s.GetProperty("item").GetProperty("state").GetString() == "CONFLICT");

        var document = OpenApiDocument.Parse(await (await kit.App.Anonymous.GetAsync("/openapi/v1.json", Ct)).Content.ReadAsStringAsync(Ct));
        var response = await kit.Admin.GetAsync($"{Path}?page[size]=100&filter[name][contains]=summary-", Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", Path, response, Ct);
        var summary = await response.ExpectAsync(HttpStatusCode.OK);
        var items = summary.GetProperty("data").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
        Assert.Equal(5, items.Count);

        var counts = items["summary-nodes"].GetProperty("node_counts");
        Assert.Equal(6, counts.GetProperty("total_count").GetInt32());
        Assert.Equal(4, counts.GetProperty("config_sync_status").GetProperty("in_sync").GetInt32());
        Assert.Equal(2, counts.GetProperty("config_sync_status").GetProperty("out_of_sync").GetInt32());
        var compatibility = counts.GetProperty("compatibility_status");
        Assert.Equal(3, compatibility.GetProperty(CompatibilityStatus.FullyCompatible).GetInt32());
        Assert.Equal(2, compatibility.GetProperty(CompatibilityStatus.Incompatible).GetInt32());
        Assert.Equal(1, compatibility.GetProperty(CompatibilityStatus.Unknown).GetInt32());
        Assert.Equal(JsonValueKind.Null, items["summary-nodes"].GetProperty("group_status").ValueKind);
        Assert.Equal("summary-nodes", items["summary-nodes"].GetProperty("name").GetString());
        Assert.Equal("CLUSTER_TYPE_CONTROL_PLANE", items["summary-nodes"].GetProperty("config").GetProperty("cluster_type").GetString());

        // The same nodes as the node list judges them.
        var listed = (await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, listed.Count(n => n.GetProperty("config_sync_status").GetString() == NodeView.InSync));
        foreach (var state in NodeCounts.CompatibilityStates)
        {
            Assert.Equal(listed.Count(n => n.GetProperty("compatibility_status").GetProperty("state").GetString() == state), compatibility.GetProperty(state).GetInt32());
        }

        var none = items["summary-empty"].GetProperty("node_counts");
        Assert.Equal(0, none.GetProperty("total_count").GetInt32());
        Assert.Equal(0, none.GetProperty("config_sync_status").GetProperty("in_sync").GetInt32());
        Assert.Equal(0, none.GetProperty("compatibility_status").GetProperty(CompatibilityStatus.FullyCompatible).GetInt32());

        var groupItem = items["summary-group"];
        Assert.Equal("CONFLICT", groupItem.GetProperty("group_status").GetProperty("state").GetString());
        Assert.Equal(1, groupItem.GetProperty("group_status").GetProperty("conflicts_count").GetInt32());
        Assert.Equal(1, groupItem.GetProperty("node_counts").GetProperty("total_count").GetInt32());
        Assert.Equal(1, groupItem.GetProperty("node_counts").GetProperty("config_sync_status").GetProperty("out_of_sync").GetInt32());

        // A node that reports the config it was given moves from out of sync to in sync.
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", beats[2].Replace("\"config_hash\":\"\"", $"\"config_hash\":\"{hash}\"", StringComparison.Ordinal)))
            .ExpectAsync(HttpStatusCode.OK);
        var again = await (await kit.Admin.GetAsync($"{Path}?filter[name][eq]=summary-nodes", Ct)).ExpectAsync(HttpStatusCode.OK);
        var moved = again.GetProperty("data")[0].GetProperty("node_counts").GetProperty("config_sync_status");
        Assert.Equal(5, moved.GetProperty("in_sync").GetInt32());
        Assert.Equal(1, moved.GetProperty("out_of_sync").GetInt32());
    }

    [Fact]
    public async Task Pages_and_visibility_are_the_control_plane_lists_and_counts_need_a_role_that_reads_nodes()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var ids = new List<Guid>();
        foreach (var name in new[] { "page-a", "page-b", "page-c", "page-d", "page-e" })
        {
            ids.Add(await kit.CreateControlPlaneAsync(name));
        }
        var (dp, _) = await kit.ConnectAsync(ids[1]);
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(Guid.NewGuid()))).ExpectAsync(HttpStatusCode.OK);

        // Every page holds what the control plane list's same page holds, in its order, with its meta.
        for (var number = 1; number <= 3; number++)
        {
            var query = $"?page[size]=2&page[number]={number}&sort=name&filter[name][contains]=page-";
            var summary = await (await kit.Admin.GetAsync(Path + query, Ct)).ExpectAsync(HttpStatusCode.OK);
            var list = await (await kit.Admin.GetAsync("/v2/control-planes" + query, Ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(list.GetProperty("meta").GetRawText(), summary.GetProperty("meta").GetRawText());
            Assert.Equal(5, summary.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
            Assert.Equal(Names(list), Names(summary));
            Assert.Equal(number < 3 ? 2 : 1, summary.GetProperty("data").GetArrayLength());
        }
        await (await kit.Admin.GetAsync($"{Path}?page[size]=0", Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await kit.App.Anonymous.GetAsync(Path, Ct)).ExpectAsync(HttpStatusCode.Unauthorized);

        // Viewer on b (which has a node) and Route Admin on c: both listed, and only b's nodes counted.
        var (_, caller) = await SystemAccounts.WithRolesAsync(kit.App, "summary-reader", ("Viewer", ids[1].ToString()), ("Route Admin", ids[2].ToString()));
        using (caller)
        {
            var seen = await (await caller.GetAsync($"{Path}?sort=name", Ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(["page-b", "page-c"], Names(seen));
            Assert.Equal(2, seen.GetProperty("meta").GetProperty("page").GetProperty("total").GetInt32());
            Assert.Equal(1, seen.GetProperty("data")[0].GetProperty("node_counts").GetProperty("total_count").GetInt32());
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("data")[1].GetProperty("node_counts").ValueKind);
        }
    }

    private static List<string> Names(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    private static async Task WaitUntilAsync(DataPlaneKit kit, string path, Func<JsonElement, bool> condition) =>
        await Eventually.ThatAsync(async () => await (await kit.Admin.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK), condition,
            TimeSpan.FromSeconds(20), () => $"{path} got there", Ct);
}
