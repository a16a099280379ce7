using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Entities;

/// <summary>
/// Issue #16, item 2: the recomposer's reader keeps entities in memory and reads only what the
/// change log says changed. Whatever two instances write, a read through the cache is exactly a
/// full read of the store at the same revision; it falls back to a full read when the log cannot
/// say, and stays correct when its budget evicts.
/// </summary>
public sealed class CachedEntityReaderTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two instances of the app on one table, each with its own store; the requests of A's are counted.</summary>
    private async Task<(TableEntityStore A, TableEntityStore B, TableClient Table, RequestCounter RequestsOfA)> TwoInstancesAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("cache"));
        var requests = new RequestCounter();
        var tables = requests.Tables(storage);
        await tables.GetTableClient(layout.EntitiesTable).CreateIfNotExistsAsync(Ct);
        return (new TableEntityStore(tables, layout), new TableEntityStore(storage.CreateTableServiceClient(), layout), tables.GetTableClient(layout.EntitiesTable), requests);
    }

    private static async Task CommitAsync(TableEntityStore store, Guid cp, params EntityChange[] changes)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var result = await store.CommitAsync(cp, await store.GetRevisionAsync(cp, Ct), changes, Ct);
            if (result.Outcome == CommitOutcome.Committed)
            {
                return;
            }
            Assert.Equal(CommitOutcome.Stale, result.Outcome);
        }
        Assert.Fail("lost 50 races in a row");
    }

    private static string Describe(EntitySnapshot snapshot) =>
        $"{snapshot.Revision}:{snapshot.Deleted}:" + string.Join(";", snapshot.Entities.Where(c => c.Value.Count > 0).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key}=[{string.Join(",", c.Value.Select(e => e.ToJsonString()))}]"));

    [Fact]
    public async Task Whatever_two_instances_write_a_cached_read_is_the_full_read_at_the_same_revision()
    {
        var (a, b, _, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        var cached = new CachedEntityReader(a, a, new EntityCacheSettings(MaxEntities: 10_000, MaxChangesPerRead: 40));
        var random = new Random(1602);
        var live = new Dictionary<string, JsonObject>();
        for (var step = 0; step < 60; step++)
        {
            // One to five changes per commit, from either instance: creates, renames and deletes.
            var changes = new List<EntityChange>();
            var touched = new HashSet<string>();
            for (var n = random.Next(1, 6); n > 0; n--)
            {
                var pick = live.Keys.Where(k => !touched.Contains(k)).OrderBy(_ => random.Next()).FirstOrDefault();
                switch (random.Next(3))
                {
                    case 0 or 1 when pick is null:
                    case 0:
                        var created = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = $"u{step}-{n}" };
                        changes.Add(new EntityChange.Put(Consumers.Schema, created, null));
                        live[created["id"]!.GetValue<string>()] = created;
                        touched.Add(created["id"]!.GetValue<string>());
                        break;
                    case 1:
                        var renamed = live[pick!].DeepClone().AsObject();
                        renamed["username"] = $"r{step}-{n}";
                        changes.Add(new EntityChange.Put(Consumers.Schema, renamed, live[pick!]));
                        live[pick!] = renamed;
                        touched.Add(pick!);
                        break;
                    case 2 when pick is not null:
                        changes.Add(new EntityChange.Delete(Consumers.Schema, live[pick]));
                        live.Remove(pick);
                        touched.Add(pick);
                        break;
                }
            }
            await CommitAsync(random.Next(2) == 0 ? a : b, cp, [.. changes]);
            if (random.Next(3) > 0)
            {
                var fromCache = await cached.ReadAllAsync(cp, Ct);
                Assert.Equal(Describe(await a.ReadAllAsync(cp, Ct)), Describe(fromCache));
            }
        }
        Assert.True(cached.IncrementalReads > 20, $"only {cached.IncrementalReads} reads came from the change log");
        Assert.Equal(1, cached.FullReads);
    }

    [Fact]
    public async Task A_commit_whose_bodies_fit_carries_them_in_its_log_row_so_the_reader_reads_no_entity_row()
    {
        var (a, b, table, requests) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        var cached = new CachedEntityReader(a, a, new EntityCacheSettings());
        var kept = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "kept" };
        var renamed = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "before" };
        var deleted = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "deleted" };
        await CommitAsync(b, cp, [.. new[] { kept, renamed, deleted }.Select(c => new EntityChange.Put(Consumers.Schema, c, null))]);
        await cached.ReadAllAsync(cp, Ct);

        // Another instance creates, renames and deletes, in two commits: the reader needs the revision and the two log rows.
        var after = renamed.DeepClone().AsObject();
        after["username"] = "after";
        await CommitAsync(b, cp, new EntityChange.Put(Consumers.Schema, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "new" }, null),
            new EntityChange.Put(Consumers.Schema, after, renamed));
        await CommitAsync(b, cp, new EntityChange.Delete(Consumers.Schema, deleted));
        var before = requests.Count;
        var read = await cached.ReadAllAsync(cp, Ct);
        var asked = requests.Requests.Skip(before).ToList();
        Assert.Equal(Describe(await b.ReadAllAsync(cp, Ct)), Describe(read));
        Assert.Equal(["after", "kept", "new"], read.Entities["consumers"].Select(c => c["username"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(asked, r => r.Contains("'e|", StringComparison.Ordinal));
        Assert.Equal(3, asked.Count);
        Assert.Equal(1, cached.IncrementalReads);

        // A body too large to carry twice: its row names it, and the reader reads that one entity by key.
        var large = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "large", ["custom_id"] = new string('x', 31_000) };
        await CommitAsync(b, cp, new EntityChange.Put(Consumers.Schema, large, null));
        before = requests.Count;
        read = await cached.ReadAllAsync(cp, Ct);
        asked = requests.Requests.Skip(before).ToList();
        Assert.Equal(Describe(await b.ReadAllAsync(cp, Ct)), Describe(read));
        Assert.Equal(new string('x', 31_000), read.Entities["consumers"].Single(c => c["username"]!.GetValue<string>() == "large")["custom_id"]!.GetValue<string>());
        var entityRead = Assert.Single(asked, r => r.Contains("'e|", StringComparison.Ordinal));
        Assert.StartsWith("GET ", entityRead, StringComparison.Ordinal);
        Assert.EndsWith($"{table.Name}(PartitionKey='{cp}',RowKey='e|consumers|{large["id"]}')", entityRead, StringComparison.Ordinal);
        Assert.Equal(2, cached.IncrementalReads);
    }

    [Fact]
    public async Task A_log_with_a_gap_or_too_many_changes_is_answered_by_a_full_read_and_a_deleted_control_plane_is_forgotten()
    {
        var (a, _, table, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        var cached = new CachedEntityReader(a, a, new EntityCacheSettings(MaxEntities: 10_000, MaxChangesPerRead: 3));
        await CommitAsync(a, cp, new EntityChange.Put(Consumers.Schema, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "first" }, null));
        await cached.ReadAllAsync(cp, Ct);

        // A trimmed (or never written) log row: the log cannot say what revision 3 changed.
        await CommitAsync(a, cp, new EntityChange.Put(Consumers.Schema, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "second" }, null));
        await CommitAsync(a, cp, new EntityChange.Put(Consumers.Schema, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "third" }, null));
        await table.DeleteEntityAsync(cp.ToString(), "c|0000000000000000002", cancellationToken: Ct);
        Assert.Equal(Describe(await a.ReadAllAsync(cp, Ct)), Describe(await cached.ReadAllAsync(cp, Ct)));
        Assert.Equal(2, cached.FullReads);

        // More changed than reading one by one is worth.
        await CommitAsync(a, cp, [.. Enumerable.Range(0, 4).Select(i => new EntityChange.Put(Consumers.Schema,
            new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = $"many-{i}" }, null))]);
        Assert.Equal(Describe(await a.ReadAllAsync(cp, Ct)), Describe(await cached.ReadAllAsync(cp, Ct)));
        Assert.Equal(3, cached.FullReads);

        // One change: from the log.
        await CommitAsync(a, cp, new EntityChange.Put(Consumers.Schema, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "one" }, null));
        Assert.Equal(Describe(await a.ReadAllAsync(cp, Ct)), Describe(await cached.ReadAllAsync(cp, Ct)));
        Assert.Equal((3, 1L), (cached.FullReads, cached.IncrementalReads));
    }

    [Fact]
    public async Task Over_its_budget_it_evicts_the_control_plane_read_longest_ago_and_reads_it_whole_again()
    {
        var (a, _, _, _) = await TwoInstancesAsync();
        var cached = new CachedEntityReader(a, a, new EntityCacheSettings(MaxEntities: 5, MaxChangesPerRead: 100));
        var cps = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        foreach (var cp in cps)
        {
            await CommitAsync(a, cp, [.. Enumerable.Range(0, 2).Select(i => new EntityChange.Put(Consumers.Schema,
                new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = $"c{i}" }, null))]);
            await cached.ReadAllAsync(cp, Ct);
        }
        Assert.Equal(3, cached.FullReads);
        // Two control planes of two fit in five; the first was evicted, the last two are read from the log.
        await cached.ReadAllAsync(cps[2], Ct);
        await cached.ReadAllAsync(cps[1], Ct);
        Assert.Equal((3, 2L), (cached.FullReads, cached.IncrementalReads));
        Assert.Equal(Describe(await a.ReadAllAsync(cps[0], Ct)), Describe(await cached.ReadAllAsync(cps[0], Ct)));
        Assert.Equal(4, cached.FullReads);
    }

    [Fact]
    public async Task Trimming_deletes_the_oldest_log_rows_up_to_a_revision_and_a_reader_behind_them_reads_whole()
    {
        var (a, _, table, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        var cached = new CachedEntityReader(a, a, new EntityCacheSettings());
        for (var i = 0; i < 6; i++)
        {
            await CommitAsync(a, cp, new EntityChange.Put(Consumers.Schema, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = $"c{i}" }, null));
            if (i == 1)
            {
                await cached.ReadAllAsync(cp, Ct);
            }
        }

        Assert.Equal(2, await a.TrimChangesAsync(cp, through: 4, limit: 2, Ct));
        Assert.Equal(2, await a.TrimChangesAsync(cp, through: 4, limit: 100, Ct));
        Assert.Equal(0, await a.TrimChangesAsync(cp, through: 4, limit: 100, Ct));
        var left = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cp.ToString()}"), select: ["RowKey"], cancellationToken: Ct)
            .Where(r => r.RowKey.StartsWith("c|", StringComparison.Ordinal)).Select(r => r.RowKey).ToListAsync(Ct);
        Assert.Equal(["c|0000000000000000005", "c|0000000000000000006"], left);

        // The cache stood at revision 2: the rows after it are gone, so it reads the control plane whole, and right.
        Assert.Equal(Describe(await a.ReadAllAsync(cp, Ct)), Describe(await cached.ReadAllAsync(cp, Ct)));
        Assert.Equal(2, cached.FullReads);
    }

    [Fact]
    public async Task Reads_while_another_instance_writes_without_pause_each_give_exactly_one_revisions_state()
    {
        var (a, b, _, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        var cached = new CachedEntityReader(a, a, new EntityCacheSettings());
        await CommitAsync(b, cp, new EntityChange.Put(Consumers.Schema, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "seed" }, null));
        await cached.ReadAllAsync(cp, Ct);

        // The writer records the state each revision leaves, as it commits them one after another.
        var states = new System.Collections.Concurrent.ConcurrentDictionary<long, string>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var live = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            for (var i = 0; !stop.IsCancellationRequested && i < 300; i++)
            {
                var revision = await b.GetRevisionAsync(cp, Ct);
                var consumer = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = $"w{i}" };
                var change = i % 4 == 3 && live.Count > 0
                    ? (EntityChange)new EntityChange.Delete(Consumers.Schema, live.First().Value)
                    : new EntityChange.Put(Consumers.Schema, consumer, null);
                var result = await b.CommitAsync(cp, revision, [change], Ct);
                Assert.Equal(CommitOutcome.Committed, result.Outcome);
                if (change is EntityChange.Delete delete)
                {
                    live.Remove(delete.Entity["id"]!.GetValue<string>());
                }
                else
                {
                    live[consumer["id"]!.GetValue<string>()] = consumer;
                }
                states[result.Revision] = string.Join(",", live.Values.Select(c => c["username"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            }
        }, Ct);

        var checkedReads = 0;
        while (!writer.IsCompleted)
        {
            var snapshot = await cached.ReadAllAsync(cp, Ct);
            var names = string.Join(",", snapshot.Entities.GetValueOrDefault("consumers", []).Select(c => c["username"]!.GetValue<string>())
                .Where(n => n != "seed").Order(StringComparer.Ordinal));
            if (states.TryGetValue(snapshot.Revision, out var expected))
            {
                Assert.Equal(expected, names);
                checkedReads++;
            }
        }
        await writer;
        Assert.True(checkedReads > 10, $"only {checkedReads} reads were checked");
        Assert.True(cached.IncrementalReads > cached.FullReads, $"{cached.IncrementalReads} incremental reads against {cached.FullReads} full ones");
    }
}
