using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.DataPlanes;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// Nodes are judged against the plugins the current snapshot uses. Their names come with the
/// pointer; the snapshot (tens of MB for a large control plane) is read only for a pointer written
/// before they were recorded, once.
/// </summary>
public sealed class SnapshotPluginsTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task DeleteSnapshotAsync(DataPlaneKit kit, Guid cp, string hash)
    {
        var layout = kit.App.Services.GetRequiredService<StorageLayout>();
        var blobs = kit.App.Services.GetRequiredService<StorageAccount>().Blobs.GetBlobContainerClient(layout.SnapshotsContainer);
        Assert.True((await blobs.GetBlobClient($"{cp}/{hash}.json").DeleteIfExistsAsync(cancellationToken: Ct)).Value);
    }

    private static async Task<JsonElement> HeartbeatAsync(HttpClient dp, Guid node, string plugins) =>
        (await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, plugins: plugins))).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("compatibility_status");

    [Fact]
    public async Task Nodes_are_judged_on_the_plugin_names_the_pointer_carries_without_reading_the_snapshot()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("names-on-pointer");
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"cors"}""");
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"key-auth","enabled":false}""");
        var (_, hash) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("plugins", out var p) && p.GetArrayLength() == 2);
        var pointer = (await kit.App.Services.GetRequiredService<ISnapshotStore>().GetPointerAsync(cp, Ct))!;
        Assert.Equal(hash, pointer.Hash);
        Assert.Equal(["cors"], pointer.Plugins);

        await DeleteSnapshotAsync(kit, cp, hash);
        var (dp, _) = await kit.ConnectAsync(cp);
        var node = Guid.NewGuid();

        var status = await HeartbeatAsync(dp, node, """[{"name":"cors","version":"3.9.1"}]""");
        Assert.Equal(CompatibilityStatus.FullyCompatible, status.GetProperty("state").GetString());
        var listed = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(CompatibilityStatus.FullyCompatible, Assert.Single(listed.GetProperty("items").EnumerateArray())
            .GetProperty("compatibility_status").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_pointer_written_before_plugin_names_were_recorded_is_judged_by_reading_its_snapshot_once()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("names-not-on-pointer");
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"rate-limiting","config":{"minute":5}}""");
        var (config, hash) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("plugins", out var p) && p.GetArrayLength() == 1);
        var rateLimiting = config.GetProperty("plugins")[0].GetProperty("id").GetString();

        // The pointer row as Gatehouse wrote it before it recorded plugin names.
        var layout = kit.App.Services.GetRequiredService<StorageLayout>();
        var table = kit.App.Services.GetRequiredService<StorageAccount>().Tables.GetTableClient(layout.SnapshotsTable);
        var row = (await table.GetEntityAsync<TableEntity>(cp.ToString(), "pointer", cancellationToken: Ct)).Value;
        Assert.True(row.Remove("Plugins"));
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, Ct);
        kit.App.Services.GetRequiredService<RecentPointers>().Forget(cp);
        Assert.Null((await kit.App.Services.GetRequiredService<ISnapshotStore>().GetPointerAsync(cp, Ct))!.Plugins);
        var (dp, _) = await kit.ConnectAsync(cp);
        var (lacking, equipped) = (Guid.NewGuid(), Guid.NewGuid());
        const string Both = """[{"name":"cors","version":"3.9.1"},{"name":"rate-limiting","version":"3.9.1"}]""";

        var first = await HeartbeatAsync(dp, lacking, """[{"name":"cors","version":"3.9.1"}]""");
        await DeleteSnapshotAsync(kit, cp, hash);
        var again = await HeartbeatAsync(dp, lacking, """[{"name":"cors","version":"3.9.1"}]""");
        var compatible = await HeartbeatAsync(dp, equipped, Both);

        var issue = Assert.Single(first.GetProperty("issues").EnumerateArray());
        Assert.Equal(NodeCompatibility.PluginSetIncompatible, issue.GetProperty("code").GetString());
        Assert.Equal(rateLimiting, Assert.Single(issue.GetProperty("affected_resources").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal(CompatibilityStatus.FullyCompatible, compatible.GetProperty("state").GetString());
    }
}
