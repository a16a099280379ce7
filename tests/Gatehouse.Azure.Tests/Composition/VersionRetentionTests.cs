using System.Text;
using Azure.Storage.Blobs;
using Gatehouse.Azure.Composition;
using Gatehouse.Azure.DataPlanes;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Versions;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Composition;

/// <summary>
/// Every pointer move writes its version record in the same transaction, and retention keeps the
/// store bounded over many versions without ever deleting a snapshot that is served.
/// </summary>
public sealed class VersionRetentionTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Kit(
        AzureSnapshotStore Snapshots, AzureConfigVersionStore Versions, TableNodeStore Nodes, BlobEncodedSnapshotStore Encoded,
        BlobContainerClient Container);

    private async Task<Kit> NewKitAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("v"));
        var account = storage.CreateAccount();
        var snapshots = new AzureSnapshotStore(account, layout);
        await snapshots.InitializeAsync(Ct);
        var nodes = new TableNodeStore(account.Tables, layout);
        await nodes.InitializeAsync(Ct);
        return new Kit(snapshots, new AzureConfigVersionStore(account, layout), nodes, new BlobEncodedSnapshotStore(account, layout),
            account.Blobs.GetBlobContainerClient(layout.SnapshotsContainer));
    }

    private static VersionRetention Retention(Kit kit, VersionRetentionSettings settings, IRolloutSnapshots? rollouts = null) =>
        new(kit.Snapshots, kit.Versions, kit.Nodes, rollouts ?? new NoRollouts(), settings, TimeProvider.System);

    private static string HashOf(int n) => $"{n:x32}";

    /// <summary>Writes snapshot n (distinct bytes) and moves the pointer to it, as the recomposer does.</summary>
    private static async Task<SnapshotPointer> MoveAsync(Kit kit, Guid cp, int n)
    {
        var hash = HashOf(n);
        await kit.Snapshots.WriteSnapshotAsync(cp, hash, Encoding.UTF8.GetBytes($$"""{"_format_version":"3.0","n":{{n}}}"""), Ct);
        var current = await kit.Snapshots.GetPointerAsync(cp, Ct);
        var now = DateTimeOffset.UtcNow;
        var next = new SnapshotPointer(new SnapshotSource(n), new ConfigHash(hash, "r", "s", "p", "u", "t", "x"), now, now);
        var note = new VersionNote(VersionNote.Admin, new Dictionary<string, EntityChangeCounts> { ["services"] = new(1, n, 0) });
        Assert.True(await kit.Snapshots.TryAdvanceAsync(cp, current, next, note, Ct));
        return next;
    }

    private static async Task<List<string>> BlobNamesAsync(Kit kit, Guid cp)
    {
        var names = new List<string>();
        await foreach (var blob in kit.Container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, $"{cp}/", Ct))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    private static async Task<List<ConfigVersion>> AllVersionsAsync(Kit kit, Guid cp)
    {
        var (page, more) = await kit.Versions.ListVersionsAsync(cp, 1000, null, Ct);
        Assert.False(more);
        return [.. page];
    }

    [Fact]
    public async Task Each_move_is_recorded_with_it_newest_first_and_paged_by_number()
    {
        var kit = await NewKitAsync();
        var cp = Guid.NewGuid();
        for (var n = 1; n <= 5; n++)
        {
            await MoveAsync(kit, cp, n);
        }
        var pointer = await kit.Snapshots.GetPointerAsync(cp, Ct);
        Assert.Equal(5, pointer!.VersionNumber);

        var (first, more) = await kit.Versions.ListVersionsAsync(cp, 2, null, Ct);
        Assert.True(more);
        Assert.Equal([5L, 4L], first.Select(v => v.Number));
        Assert.Equal(HashOf(5), first[0].Hash);
        Assert.Equal(5, first[0].Revision);
        Assert.Equal(VersionNote.Admin, first[0].Principal);
        Assert.Equal(new EntityChangeCounts(1, 5, 0), first[0].Changes["services"]);
        var (rest, after) = await kit.Versions.ListVersionsAsync(cp, 10, first[^1].Number, Ct);
        Assert.False(after);
        Assert.Equal([3L, 2L, 1L], rest.Select(v => v.Number));

        // A move refused by its ETag writes no record either: they are one transaction.
        var stale = pointer with { Version = "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"" };
        var refused = pointer with { Source = new SnapshotSource(9), Hashes = pointer.Hashes with { Config = HashOf(9) } };
        Assert.False(await kit.Snapshots.TryAdvanceAsync(cp, stale, refused, VersionNote.Unknown, Ct));
        Assert.Equal(5, (await AllVersionsAsync(kit, cp)).Count);
        Assert.DoesNotContain(await AllVersionsAsync(kit, cp), v => v.Hash == HashOf(9));
    }

    [Fact]
    public async Task Over_200_versions_the_blobs_stay_bounded_and_no_served_snapshot_is_deleted()
    {
        var kit = await NewKitAsync();
        var cp = Guid.NewGuid();
        const int Keep = 10;

        // A node still runs version 3, heard from just now; another ran version 4 long ago.
        var now = DateTimeOffset.UtcNow;
        DataPlaneNode Node(string hash, DateTimeOffset seen) => new()
        {
            Id = Guid.NewGuid(),
            ControlPlaneId = cp,
            Hostname = "kong",
            Version = "3.9.1.0",
            ConfigHash = hash,
            CertificateId = Guid.NewGuid(),
            LastPing = seen,
            CreatedAt = seen,
            UpdatedAt = seen,
        };
        await kit.Nodes.UpsertAsync(Node(HashOf(3), now), Ct);
        await kit.Nodes.UpsertAsync(Node(HashOf(4), now.AddDays(-3)), Ct);
        // A rollout (the seam) still serves version 7.
        var rollouts = new FixedRollouts(HashOf(7));
        var retention = Retention(kit, VersionRetentionSettings.Default with { Keep = Keep, Grace = TimeSpan.Zero }, rollouts);

        var mostBlobs = 0;
        for (var n = 1; n <= 200; n++)
        {
            await MoveAsync(kit, cp, n);
            if (n % 2 == 0)
            {
                // Data planes asked for it compressed: its copies go with it.
                await kit.Encoded.WriteAsync(cp, HashOf(n), "gzip", new byte[] { 1 }, Ct);
                await kit.Encoded.WriteAsync(cp, HashOf(n), "br", new byte[] { 2 }, Ct);
            }
            if (n % 20 == 0)
            {
                await retention.SweepAsync(cp, Ct);
                mostBlobs = Math.Max(mostBlobs, (await BlobNamesAsync(kit, cp)).Count);
            }
        }

        // Kept: the last 10 versions (the current among them) and the two served ones, each with at most two copies.
        Assert.InRange(mostBlobs, 1, (Keep + 2) * 3);
        var blobs = await BlobNamesAsync(kit, cp);
        var hashes = blobs.Where(b => b.EndsWith(".json", StringComparison.Ordinal)).Select(b => b[(cp.ToString().Length + 1)..^".json".Length]).ToHashSet();
        var expected = Enumerable.Range(191, 10).Select(HashOf).Append(HashOf(3)).Append(HashOf(7)).ToHashSet();
        Assert.Equal(expected.Order(), hashes.Order());
        // No copy outlives its snapshot.
        Assert.All(blobs, b => Assert.Contains(b[(cp.ToString().Length + 1)..].Split('.')[0], hashes));
        var versions = await AllVersionsAsync(kit, cp);
        Assert.Equal(expected.Order(), versions.Select(v => v.Hash).Order());
        // The pointer's snapshot is readable.
        var pointer = await kit.Snapshots.GetPointerAsync(cp, Ct);
        Assert.NotNull(await kit.Snapshots.ReadSnapshotAsync(cp, pointer!.Hash, Ct));

        // Age keeps versions too: with KeepDays, nothing this young goes, however many there are.
        var young = Retention(kit, VersionRetentionSettings.Default with { Keep = 1, KeepFor = TimeSpan.FromDays(1), Grace = TimeSpan.Zero }, rollouts);
        Assert.Equal(new RetentionOutcome(0, 0), await young.SweepAsync(cp, Ct));
    }

    [Fact]
    public async Task A_snapshot_reused_after_it_was_listed_is_not_deleted_and_young_blobs_wait_out_the_grace()
    {
        var kit = await NewKitAsync();
        var cp = Guid.NewGuid();
        for (var n = 1; n <= 3; n++)
        {
            await MoveAsync(kit, cp, n);
        }
        // Within the grace period, nothing unnamed is deleted.
        var graceful = Retention(kit, VersionRetentionSettings.Default with { Keep = 1 });
        Assert.Equal(new RetentionOutcome(2, 0), await graceful.SweepAsync(cp, Ct));
        Assert.Equal(3, (await BlobNamesAsync(kit, cp)).Count);

        // Listed, then reused by a recomposition (a restore composing an old hash), then deleted: refused.
        var listed = (await kit.Versions.ListSnapshotsAsync(cp, Ct)).Single(s => s.Hash == HashOf(1));
        await kit.Snapshots.WriteSnapshotAsync(cp, HashOf(1), Encoding.UTF8.GetBytes("""{"_format_version":"3.0","n":1}"""), Ct);
        Assert.False(await kit.Versions.DeleteSnapshotAsync(cp, listed, Ct));
        Assert.NotNull(await kit.Snapshots.ReadSnapshotAsync(cp, HashOf(1), Ct));

        // A blob no version names (a crash after writing it, before the pointer moved) goes once past the grace.
        var sweeping = Retention(kit, VersionRetentionSettings.Default with { Keep = 1, Grace = TimeSpan.Zero });
        Assert.Equal(new RetentionOutcome(0, 2), await sweeping.SweepAsync(cp, Ct));
        Assert.Equal([$"{cp}/{HashOf(3)}.json"], await BlobNamesAsync(kit, cp));
    }

    private sealed class FixedRollouts(params string[] hashes) : IRolloutSnapshots
    {
        public Task<IReadOnlyCollection<string>> ServedHashesAsync(Guid controlPlane, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<string>>(hashes);
    }
}
