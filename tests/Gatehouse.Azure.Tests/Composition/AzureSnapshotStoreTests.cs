using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Gatehouse.Azure.Composition;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Composition;

/// <summary>
/// The snapshot pointer is what sidecars follow, so it must only ever move forward: every move is
/// conditional on the pointer as read, and a move to something that does not follow is refused.
/// </summary>
public sealed class AzureSnapshotStoreTests(StorageFixture storage)
{
    private async Task<(AzureSnapshotStore Store, StorageLayout Layout)> NewStoreAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("p"));
        var store = new AzureSnapshotStore(storage.CreateAccount(), layout);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return (store, layout);
    }

    private static SnapshotPointer Pointer(long revision, IReadOnlyDictionary<Guid, long>? members = null)
    {
        var at = DateTimeOffset.UnixEpoch.AddSeconds(revision);
        string Hash(string part) => $"{part}-{revision}";
        return new SnapshotPointer(new SnapshotSource(revision, members),
            new ConfigHash(Hash("config"), Hash("routes"), Hash("services"), Hash("plugins"), Hash("upstreams"), Hash("targets"), Hash("rest")), at, at);
    }

    [Fact]
    public async Task A_pointer_reads_back_with_every_hash_its_times_and_its_members()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid();
        var members = new Dictionary<Guid, long> { [Guid.NewGuid()] = 4, [Guid.NewGuid()] = 9 };
        var written = Pointer(7, members);

        Assert.Null(await store.GetPointerAsync(group, ct));
        Assert.True(await store.TryAdvanceAsync(group, null, written, ct));

        var read = await store.GetPointerAsync(group, ct);
        Assert.NotNull(read);
        Assert.NotNull(read.Version);
        Assert.Equal(written.Revision, read.Revision);
        Assert.Equal(written.Hashes, read.Hashes);
        Assert.Equal(written.CreatedAt, read.CreatedAt);
        Assert.Equal(written.UpdatedAt, read.UpdatedAt);
        Assert.Equal(members, read.Source.Members);
    }

    [Fact]
    public async Task A_pointer_carries_the_names_of_the_plugins_its_snapshot_uses()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();

        Assert.True(await store.TryAdvanceAsync(cp, null, Pointer(1) with { Plugins = ["cors", "rate-limiting"] }, ct));
        Assert.Equal(["cors", "rate-limiting"], (await store.GetPointerAsync(cp, ct))!.Plugins);

        // None in use is recorded as none, not as unknown.
        Assert.True(await store.TryAdvanceAsync(cp, await store.GetPointerAsync(cp, ct), Pointer(2) with { Plugins = [] }, ct));
        Assert.Equal([], (await store.GetPointerAsync(cp, ct))!.Plugins);
    }

    /// <summary>
    /// Pointers written before plugin names were recorded have no such property; they read as
    /// unknown, not as none, so that readers look in the snapshot. So do names past what a
    /// property holds, which are left out rather than failing the move.
    /// </summary>
    [Fact]
    public async Task A_pointer_without_plugin_names_says_they_are_unknown()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (old, crowded) = (Guid.NewGuid(), Guid.NewGuid());
        var written = Pointer(3);
        Assert.True(await store.TryAdvanceAsync(old, null, written with { Plugins = ["cors"] }, ct));
        // The row as Gatehouse wrote it before it recorded plugin names.
        var table = storage.CreateTableServiceClient().GetTableClient(layout.SnapshotsTable);
        var row = (await table.GetEntityAsync<TableEntity>(old.ToString(), "pointer", cancellationToken: ct)).Value;
        Assert.True(row.Remove("Plugins"));
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);

        var read = (await store.GetPointerAsync(old, ct))!;
        Assert.Null(read.Plugins);
        Assert.Equal((written.Source, written.Hashes, written.CreatedAt), (read.Source, read.Hashes, read.CreatedAt));
        Assert.True(await store.TryAdvanceAsync(old, read, Pointer(4) with { Plugins = ["cors"] }, ct));
        Assert.Equal(["cors"], (await store.GetPointerAsync(old, ct))!.Plugins);

        var names = Enumerable.Range(0, 1000).Select(i => $"custom-plugin-with-a-long-name-{i:D4}").ToList();
        Assert.True(await store.TryAdvanceAsync(crowded, null, Pointer(1) with { Plugins = names }, ct));
        var moved = (await store.GetPointerAsync(crowded, ct))!;
        Assert.Equal((1L, null), (moved.Revision, moved.Plugins));
    }

    [Fact]
    public async Task Of_two_first_pointers_only_one_is_written()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();

        Assert.True(await store.TryAdvanceAsync(cp, null, Pointer(2), ct));
        Assert.False(await store.TryAdvanceAsync(cp, null, Pointer(1), ct));
        Assert.False(await store.TryAdvanceAsync(cp, null, Pointer(3), ct));

        Assert.Equal(2, (await store.GetPointerAsync(cp, ct))!.Revision);
    }

    [Fact]
    public async Task A_move_from_a_pointer_someone_else_has_moved_since_is_not_written()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        await store.TryAdvanceAsync(cp, null, Pointer(1), ct);
        var readByBoth = (await store.GetPointerAsync(cp, ct))!;

        Assert.True(await store.TryAdvanceAsync(cp, readByBoth, Pointer(5), ct));
        // The slower worker composed revision 3 from the same read: it must not undo revision 5.
        Assert.False(await store.TryAdvanceAsync(cp, readByBoth, Pointer(3), ct));
        Assert.False(await store.TryAdvanceAsync(cp, readByBoth, Pointer(6), ct));

        Assert.Equal(Pointer(5).Hashes, (await store.GetPointerAsync(cp, ct))!.Hashes);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public async Task A_move_to_a_revision_not_after_the_current_one_is_refused(long revision)
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        await store.TryAdvanceAsync(cp, null, Pointer(4), ct);
        var current = (await store.GetPointerAsync(cp, ct))!;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.TryAdvanceAsync(cp, current, Pointer(revision), ct));

        Assert.Contains("only forward", error.Message);
        var after = (await store.GetPointerAsync(cp, ct))!;
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(4, after.Revision);
    }

    [Fact]
    public async Task A_pointer_removed_since_it_was_read_is_not_written_back()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        await store.TryAdvanceAsync(cp, null, Pointer(1), ct);
        var read = (await store.GetPointerAsync(cp, ct))!;
        await storage.CreateTableServiceClient().GetTableClient(layout.SnapshotsTable).DeleteEntityAsync(cp.ToString(), "pointer", cancellationToken: ct);

        Assert.False(await store.TryAdvanceAsync(cp, read, Pointer(2), ct));

        Assert.Null(await store.GetPointerAsync(cp, ct));
    }

    /// <summary>
    /// Workers composing different revisions at once, each retrying as the recomposer does (read,
    /// move if still ahead, else stop). All first read the same pointer before any moves it, so of
    /// that round exactly one may win; whatever the interleaving after, the newest revision stays.
    /// </summary>
    [Fact]
    public async Task Concurrent_movers_leave_the_pointer_at_the_newest_revision()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        const int Workers = 12;
        Assert.True(await store.TryAdvanceAsync(cp, null, Pointer(0), ct));
        var allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (reads, firstRoundWins) = (0, 0);

        async Task MoveAsync(long revision)
        {
            var next = Pointer(revision);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var current = await store.GetPointerAsync(cp, ct);
                if (attempt == 0)
                {
                    if (Interlocked.Increment(ref reads) == Workers)
                    {
                        allRead.SetResult();
                    }
                    await allRead.Task.WaitAsync(ct);
                }
                if (!next.Source.Follows(current?.Source))
                {
                    return;
                }
                if (await store.TryAdvanceAsync(cp, current, next, ct))
                {
                    if (attempt == 0)
                    {
                        Interlocked.Increment(ref firstRoundWins);
                    }
                    return;
                }
            }
            Assert.Fail($"Revision {revision} neither moved the pointer nor was overtaken in 100 attempts.");
        }

        await Task.WhenAll(Enumerable.Range(1, Workers).Select(r => Task.Run(() => MoveAsync(r), ct)));

        Assert.Equal(1, firstRoundWins);
        var final = (await store.GetPointerAsync(cp, ct))!;
        Assert.Equal(Workers, final.Revision);
        Assert.Equal(Pointer(Workers).Hashes, final.Hashes);
    }

    [Fact]
    public async Task The_snapshot_a_store_created_is_read_from_memory_and_another_instance_reads_the_blob()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        var content = Encoding.UTF8.GetBytes("{\"_format_version\":\"3.0\",\"services\":[]}");
        await store.WriteSnapshotAsync(cp, "h1", content, ct);

        // The blob goes (as nothing in Gatehouse does to a pointer's snapshot): the store that created it still has it.
        var blobs = storage.CreateAccount().Blobs.GetBlobContainerClient(layout.SnapshotsContainer);
        Assert.True(await blobs.GetBlobClient($"{cp}/h1.json").DeleteIfExistsAsync(cancellationToken: ct));
        Assert.Equal(content, (await store.ReadSnapshotAsync(cp, "h1", ct))!.Value.ToArray());

        // Another instance reads storage, and only the hash created is kept: not another hash, not another control plane.
        Assert.Null(await new AzureSnapshotStore(storage.CreateAccount(), layout).ReadSnapshotAsync(cp, "h1", ct));
        Assert.Null(await store.ReadSnapshotAsync(cp, "h2", ct));
        Assert.Null(await store.ReadSnapshotAsync(Guid.NewGuid(), "h1", ct));
    }

    [Fact]
    public async Task A_snapshot_blob_is_written_gzipped_and_reads_back_as_its_json_whether_stored_gzipped_or_plain()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        var services = string.Join(",", Enumerable.Range(0, 2000).Select(i => $$"""{"name":"svc-{{i}}","host":"backend-{{i % 97}}.internal","port":8443}"""));
        var content = Encoding.UTF8.GetBytes($$"""{"_format_version":"3.0","services":[{{services}}]}""");
        var blobs = storage.CreateAccount().Blobs.GetBlobContainerClient(layout.SnapshotsContainer);

        // As this store writes it: gzipped, more than sixfold smaller here, and saying so.
        await store.WriteSnapshotAsync(cp, "gzipped", content, ct);
        var stored = (await blobs.GetBlobClient($"{cp}/gzipped.json").DownloadContentAsync(ct)).Value;
        Assert.Equal(("application/json", "gzip"), (stored.Details.ContentType, stored.Details.ContentEncoding));
        Assert.InRange(stored.Content.ToMemory().Length, 1, content.Length / 6);
        using (var gzip = new GZipStream(stored.Content.ToStream(), CompressionMode.Decompress))
        using (var inflated = new MemoryStream())
        {
            gzip.CopyTo(inflated);
            Assert.Equal(content, inflated.ToArray());
        }

        // As releases before wrote it: the JSON itself.
        await blobs.GetBlobClient($"{cp}/plain.json").UploadAsync(new BinaryData(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, ct);

        // Read by another instance, which has neither in memory.
        var reader = new AzureSnapshotStore(storage.CreateAccount(), layout);
        Assert.Equal(content, (await reader.ReadSnapshotAsync(cp, "plain", ct))!.Value.ToArray());
        Assert.Equal(content, (await reader.ReadSnapshotAsync(cp, "gzipped", ct))!.Value.ToArray());
    }

    /// <summary>
    /// The next snapshot of a control plane reuses the gzip members of the chunks it shares with the
    /// last one (<see cref="ChunkedSnapshotGzip"/>): both blobs must still read back exactly.
    /// </summary>
    [Fact]
    public async Task A_snapshot_that_changes_little_compresses_little_and_both_read_back_exactly()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        byte[] Config(string changed) => Encoding.UTF8.GetBytes("{\"_format_version\":\"3.0\",\"services\":[" + string.Join(",", Enumerable.Range(0, 10_000).Select(i =>
            $$"""{"id":"{{new Guid(i, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8)}}","name":"svc-{{i}}","host":"{{(i == 5_000 ? changed : "backend.internal")}}","port":8443}""")) + "]}");
        var (first, second) = (Config("backend.internal"), Config("elsewhere.internal"));

        await store.WriteSnapshotAsync(cp, "first", first, ct);
        var chunks = store.Gzip.ChunksCompressed;
        await store.WriteSnapshotAsync(cp, "second", second, ct);

        Assert.Equal(chunks + 1, store.Gzip.ChunksCompressed);
        Assert.Equal(chunks - 1, store.Gzip.ChunksReused);
        var reader = new AzureSnapshotStore(storage.CreateAccount(), layout);
        Assert.Equal(first, (await reader.ReadSnapshotAsync(cp, "first", ct))!.Value.ToArray());
        Assert.Equal(second, (await reader.ReadSnapshotAsync(cp, "second", ct))!.Value.ToArray());
    }

    [Fact]
    public async Task A_snapshot_is_written_once_under_its_hash_and_a_repeat_changes_nothing()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        var content = Encoding.UTF8.GetBytes("{\"_format_version\":\"3.0\"}");

        Assert.Null(await store.ReadSnapshotAsync(cp, "h1", ct));
        await store.WriteSnapshotAsync(cp, "h1", content, ct);
        await store.WriteSnapshotAsync(cp, "h1", Encoding.UTF8.GetBytes("{\"other\":true}"), ct);

        Assert.Equal(content, (await store.ReadSnapshotAsync(cp, "h1", ct))!.Value.ToArray());
        Assert.Null(await store.ReadSnapshotAsync(Guid.NewGuid(), "h1", ct));
    }
}
