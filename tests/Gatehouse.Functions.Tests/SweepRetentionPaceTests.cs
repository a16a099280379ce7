using System.Net;
using Azure.Storage.Blobs.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// The sweep passes retention over a control plane when a version was recorded since its last
/// pass, or once a grace period has gone by: an idle control plane costs a sweep nothing more until
/// then, and what only time makes deletable is still deleted.
/// </summary>
public sealed class SweepRetentionPaceTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_snapshot_aged_out_of_an_idle_control_plane_is_deleted_by_the_sweep_after_the_grace_period()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?>
        {
            ["Gatehouse:Recompose:Local"] = "false",
            ["Gatehouse:Versions:Keep"] = "1",
            // 6 s: no snapshot younger than this is deleted, and an idle control plane is passed over again after it.
            // Shorter, a loaded machine took longer than that from the first snapshot to the first sweep.
            ["Gatehouse:Versions:GraceMinutes"] = "0.1",
        });
        var recomposer = app.Services.GetRequiredService<Recomposer>();
        var sweeper = app.Services.GetRequiredService<Sweeper>();
        var root = await app.CreateControlPlaneAsync("paced");
        var cp = Guid.Parse(root.Split('/')[3]);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"first","host":"first.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        await recomposer.RecomposeAsync(cp, Ct);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"second","host":"second.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var (_, current) = await recomposer.RecomposeAsync(cp, Ct);

        // The first pass drops the older version's record; its snapshot is younger than the grace period, so it stays.
        await sweeper.SweepAsync(Ct);
        Assert.Equal(2, (await SnapshotsAsync(app, cp)).Count);
        await sweeper.SweepAsync(Ct);
        Assert.Equal(2, (await SnapshotsAsync(app, cp)).Count);

        // Nothing more is written to it: the grace period alone makes the old snapshot deletable, and the sweep passes over it again.
        await Task.Delay(TimeSpan.FromSeconds(6.4), Ct);
        await sweeper.SweepAsync(Ct);
        Assert.Equal([$"{cp}/{current!.Hash}.json"], await SnapshotsAsync(app, cp));
    }

    private static async Task<List<string>> SnapshotsAsync(RunningApp app, Guid cp)
    {
        var container = app.Services.GetRequiredService<StorageAccount>().Blobs.GetBlobContainerClient(app.Services.GetRequiredService<StorageLayout>().SnapshotsContainer);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{cp}/", Ct))
        {
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                names.Add(blob.Name);
            }
        }
        return names;
    }
}
