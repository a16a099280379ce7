using System.Net;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// <c>/v2/control-planes/{id}/nodes</c>: Konnect's shapes checked against the spec, cursor
/// paging, compatibility issues as Kong judges them (and the config they cost a node), retention.
/// </summary>
public sealed class DataPlaneNodeApiTests(StorageFixture storage)
{
    private const string Collection = "/control-planes/{controlPlaneId}/nodes";
    private const string Item = Collection + "/{nodeId}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OpenApiDocument Spec => ReferenceSpecs.ControlPlanesConfig;

    [Fact]
    public async Task Nodes_are_listed_a_page_at_a_time_read_and_deleted_in_the_specs_shapes()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-nodes");
        var (dp, certificateId) = await kit.ConnectAsync(cp);
        var nodes = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        foreach (var node in nodes)
        {
            await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, hostname: $"host-{node:N}"))).ExpectAsync(HttpStatusCode.OK);
        }

        var seen = new List<string>();
        var path = $"/v2/control-planes/{cp}/nodes?page[size]=2";
        for (var pages = 1; ; pages++)
        {
            var response = await kit.Admin.GetAsync(path, Ct);
            await OpenApiAssert.ValidResponseAsync(Spec, "GET", Collection, response, Ct);
            var body = await response.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(5, body.GetProperty("page").GetProperty("total_count").GetInt32());
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
            if (!body.GetProperty("page").TryGetProperty("next", out var next))
            {
                Assert.Equal(3, pages);
                break;
            }
            path = $"/v2/control-planes/{cp}/nodes?page[size]=2&page[after]={next.GetString()}";
        }
        Assert.Equal(nodes.Select(n => n.ToString()).Order(StringComparer.Ordinal), seen);

        var got = await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes/{nodes[0]}", Ct);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Item, got, Ct);
        var item = (await got.JsonAsync()).GetProperty("item");
        Assert.Equal(nodes[0].ToString(), item.GetProperty("id").GetString());
        Assert.Equal($"host-{nodes[0]:N}", item.GetProperty("hostname").GetString());
        Assert.Equal("3.9.1", item.GetProperty("version").GetString());
        Assert.Equal("kong-proxy", item.GetProperty("type").GetString());
        Assert.Equal(certificateId.ToString(), item.GetProperty("data_plane_cert_id").GetString());
        Assert.Equal("out_of_sync", item.GetProperty("config_sync_status").GetString());
        Assert.InRange(item.GetProperty("last_ping").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(CompatibilityStatus.FullyCompatible, item.GetProperty("compatibility_status").GetProperty("state").GetString());

        var deleted = await kit.Admin.DeleteAsync($"/v2/control-planes/{cp}/nodes/{nodes[0]}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        foreach (var missing in new[] { nodes[0].ToString(), "not-a-uuid" })
        {
            var gone = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes/{missing}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
            Assert.Contains("No data plane node", gone.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        await (await kit.Admin.DeleteAsync($"/v2/control-planes/{cp}/nodes/{nodes[0]}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes?page[after]=garbage", Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await kit.Admin.GetAsync($"/v2/control-planes/{Guid.NewGuid()}/nodes", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await kit.App.Anonymous.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).ExpectAsync(HttpStatusCode.Unauthorized);

        // Deleting the control plane forgets its nodes.
        await (await kit.Admin.DeleteAsync($"/v2/control-planes/{cp}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Null(await kit.App.Services.GetRequiredService<INodeStore>().FindAsync(cp, nodes[1], Ct));
    }

    [Fact]
    public async Task Incompatible_nodes_show_their_issues_and_get_no_config_while_compatible_ones_do()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:KongVersion"] = "3.9.1" });
        var cp = await kit.CreateControlPlaneAsync("dp-compat");
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"cors"}""");
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"rate-limiting","config":{"minute":5}}""");
        var (config, hash) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("plugins", out var p) && p.GetArrayLength() == 2);
        var rateLimiting = config.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "rate-limiting").GetProperty("id").GetString();
        var (dp, _) = await kit.ConnectAsync(cp);

        const string Both = """[{"name":"cors","version":"3.9.1"},{"name":"rate-limiting","version":"3.9.1"}]""";
        var cases = new (string Name, string Version, string Plugins, string? Code)[]
        {
            ("compatible", "3.8.0.0", Both, null),
            ("kong-too-new", "3.10.0.0", Both, NodeCompatibility.KongVersionIncompatible),
            ("plugin-missing", "3.9.1", """[{"name":"cors","version":"3.9.1"}]""", NodeCompatibility.PluginSetIncompatible),
            ("plugin-too-new", "3.9.1", """[{"name":"cors","version":"3.9.1"},{"name":"rate-limiting","version":"3.11.0"}]""", NodeCompatibility.PluginVersionIncompatible),
        };
        foreach (var (name, version, plugins, code) in cases)
        {
            var node = Guid.NewGuid();
            var beat = await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, version, plugins, hostname: name))).ExpectAsync(HttpStatusCode.OK);
            var item = (await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes/{node}", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("item");
            var status = item.GetProperty("compatibility_status");
            Assert.Equal(beat.GetProperty("compatibility_status").GetRawText(), status.GetRawText());
            var response = await dp.GetAsync($"/v1/dp/config?node_id={node}", Ct);
            if (code is null)
            {
                Assert.Equal(CompatibilityStatus.FullyCompatible, status.GetProperty("state").GetString());
                Assert.Empty(status.GetProperty("issues").EnumerateArray());
                await response.ExpectAsync(HttpStatusCode.OK);
                Assert.Equal($"\"{hash}\"", response.Headers.ETag?.Tag);
                continue;
            }
            Assert.Equal(CompatibilityStatus.Incompatible, status.GetProperty("state").GetString());
            var issue = Assert.Single(status.GetProperty("issues").EnumerateArray());
            Assert.Equal(code, issue.GetProperty("code").GetString());
            Assert.Equal("error", issue.GetProperty("severity").GetString());
            Assert.NotEmpty(issue.GetProperty("description").GetString()!);
            Assert.NotEmpty(issue.GetProperty("resolution").GetString()!);
            if (code != NodeCompatibility.KongVersionIncompatible)
            {
                Assert.Equal(rateLimiting, Assert.Single(issue.GetProperty("affected_resources").EnumerateArray()).GetProperty("id").GetString());
            }

            var refused = await response.ExpectAsync(HttpStatusCode.Conflict);
            Assert.Null(response.Headers.ETag);
            Assert.Contains(node.ToString(), refused.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(code, refused.GetProperty("compatibility_status").GetProperty("issues")[0].GetProperty("code").GetString());
        }

        var listed = await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Collection, listed, Ct);
        var states = (await listed.JsonAsync()).GetProperty("items").EnumerateArray()
            .ToDictionary(n => n.GetProperty("hostname").GetString()!, n => n.GetProperty("compatibility_status").GetProperty("state").GetString());
        Assert.Equal(CompatibilityStatus.FullyCompatible, states["compatible"]);
        Assert.Equal(3, states.Values.Count(s => s == CompatibilityStatus.Incompatible));

        // Removing the plugin from the config makes the node that lacked it compatible again.
        var plugin = await kit.Admin.DeleteAsync($"/v2/control-planes/{cp}/core-entities/plugins/{rateLimiting}", Ct);
        await plugin.ExpectAsync(HttpStatusCode.NoContent);
        await kit.WaitForConfigAsync(cp, c => c.GetProperty("plugins").GetArrayLength() == 1);
        var after = (await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).JsonAsync()).GetProperty("items").EnumerateArray()
            .ToDictionary(n => n.GetProperty("hostname").GetString()!, n => n.GetProperty("compatibility_status").GetProperty("state").GetString());
        Assert.Equal(CompatibilityStatus.FullyCompatible, after["plugin-missing"]);
        Assert.Equal(CompatibilityStatus.Incompatible, after["kong-too-new"]);
    }

    [Fact]
    public async Task A_pull_carrying_the_nodes_facts_hash_is_judged_on_the_facts_the_node_sent_last_whichever_instance_heard_them()
    {
        var settings = new Dictionary<string, string?> { ["Gatehouse:KongVersion"] = "3.9.1" };
        await using var a = await DataPlaneKit.StartAsync(storage, settings);
        await using var b = await DataPlaneKit.StartAsync(storage, settings, a.App.Prefix);
        var cp = await a.CreateControlPlaneAsync("dp-facts");
        await a.PostEntityAsync(cp, "/plugins", """{"name":"cors"}""");
        var (_, hash) = await a.WaitForConfigAsync(cp, c => c.TryGetProperty("plugins", out var p) && p.GetArrayLength() == 1);
        var (certificate, _) = await a.PinAsync(cp);
        var (viaA, viaB) = (a.DataPlane(certificate), b.DataPlane(certificate));
        var node = Guid.NewGuid();
        var cors = new[] { new NodePlugin("cors", "3.9.1") };
        var (compatible, incompatible) = (NodeFacts.Hash("3.9.1", cors), NodeFacts.Hash("3.10.0", cors));
        async Task<HttpResponseMessage> Pull(HttpClient via, string? facts) =>
            await via.GetAsync($"/v1/dp/config?node_id={node}" + (facts is null ? "" : $"&node_facts_hash={facts}"), Ct);

        // A hears the node as compatible and remembers it.
        await (await viaA.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, "3.9.1"))).ExpectAsync(HttpStatusCode.OK);
        var served = await Pull(viaA, compatible);
        await served.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"\"{hash}\"", served.Headers.ETag?.Tag);

        // The node moves to a Kong too new and says so to B: A's memory no longer matches what the pull carries, so A reads the node.
        await (await viaB.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, "3.10.0"))).ExpectAsync(HttpStatusCode.OK);
        var withheld = await (await Pull(viaA, incompatible)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(NodeCompatibility.KongVersionIncompatible, withheld.GetProperty("compatibility_status").GetProperty("issues")[0].GetProperty("code").GetString());
        await (await Pull(viaB, incompatible)).ExpectAsync(HttpStatusCode.Conflict);
        // A hash the node's row does not carry (a sidecar out of step) still gets the row's verdict.
        await (await Pull(viaA, compatible)).ExpectAsync(HttpStatusCode.Conflict);

        // Forgotten through B: A, whose memory matches the pull, still judges the node on its last facts;
        // without the hash A reads, finds no node, and has nothing to judge (as for any node not yet heard).
        await (await b.Admin.DeleteAsync($"/v2/control-planes/{cp}/nodes/{node}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await Pull(viaA, incompatible)).ExpectAsync(HttpStatusCode.Conflict);
        await (await Pull(viaA, null)).ExpectAsync(HttpStatusCode.OK);

        var invalid = await (await Pull(viaA, "NOT-A-HASH")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("node_facts_hash: must be 32 lowercase hex digits", invalid.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_unseen_for_the_retention_time_are_removed()
    {
        // Time moves when the test says: with a retention of 1.8 s and real waits, a loaded machine
        // once took longer than that between the fresh node's heartbeat and the list, which then dropped it too.
        var clock = new ManualClock();
        await using var kit = await DataPlaneKit.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:DataPlane:NodeRetentionHours"] = "1" }, clock: clock);
        var cp = await kit.CreateControlPlaneAsync("dp-retention");
        var (dp, _) = await kit.ConnectAsync(cp);
        var (stale, fresh) = (Guid.NewGuid(), Guid.NewGuid());
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(stale))).ExpectAsync(HttpStatusCode.OK);
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(fresh))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, (await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).JsonAsync()).GetProperty("items").GetArrayLength());

        clock.Advance(TimeSpan.FromMinutes(40));
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(fresh))).ExpectAsync(HttpStatusCode.OK);
        // Still seen within the hour, both of them.
        Assert.Equal(2, (await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).JsonAsync()).GetProperty("items").GetArrayLength());
        clock.Advance(TimeSpan.FromMinutes(30));

        await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes/{stale}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        var list = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).JsonAsync();
        Assert.Equal([fresh.ToString()], list.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(1, list.GetProperty("page").GetProperty("total_count").GetInt32());
        Assert.Null(await kit.App.Services.GetRequiredService<INodeStore>().FindAsync(cp, stale, Ct));
    }

    [Fact]
    public async Task Data_plane_answers_validate_against_gatehouses_openapi_document()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var document = OpenApiDocument.Parse(await (await kit.App.Anonymous.GetAsync("/openapi/v1.json", Ct)).Content.ReadAsStringAsync(Ct));
        var cp = await kit.CreateControlPlaneAsync("dp-documented");
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"cors"}""");
        await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("plugins", out _));
        var (dp, _) = await kit.ConnectAsync(cp);
        var node = Guid.NewGuid();

        var beat = await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, plugins: "[]"));
        await OpenApiAssert.ValidResponseAsync(document, "POST", "/v1/dp/heartbeat", beat, Ct);
        await OpenApiAssert.ValidResponseAsync(document, "POST", "/v1/dp/heartbeat", await dp.PostJsonAsync("/v1/dp/heartbeat", "{}"), Ct);
        var refused = await dp.GetAsync($"/v1/dp/config?node_id={node}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        await OpenApiAssert.ValidResponseAsync(document, "GET", "/v1/dp/config", refused, Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", "/v1/dp/config", await kit.DataPlane(null).GetAsync($"/v1/dp/config?node_id={node}", Ct), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", "/v2/control-planes/{controlPlaneId}/nodes", await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", "/v2/control-planes/{controlPlaneId}/nodes/{nodeId}",
            await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes/{node}", Ct), Ct);
    }
}
