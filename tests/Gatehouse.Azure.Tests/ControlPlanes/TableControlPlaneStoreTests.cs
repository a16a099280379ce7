using Azure.Data.Tables;
using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.ControlPlanes;

public sealed class TableControlPlaneStoreTests(StorageFixture storage)
{
    private async Task<(TableControlPlaneStore Store, StorageLayout Layout)> NewStoreAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("s"));
        var store = new TableControlPlaneStore(storage.CreateTableServiceClient(), layout);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return (store, layout);
    }

    private static ControlPlane NewControlPlane(string name) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        Labels = new SortedDictionary<string, string> { ["env"] = "test" },
        ProxyUrls = [new ProxyUrl("p.example.com", 443, "https")],
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task Added_control_planes_read_back_whole_by_id_name_and_list()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = NewControlPlane("a/b#c?d%e");
        Assert.True(await store.TryAddAsync(cp, ct));

        var read = await store.FindAsync(cp.Id, ct);
        Assert.NotNull(read);
        Assert.Equal(cp with { Version = read.Version, Labels = read.Labels, ProxyUrls = read.ProxyUrls }, read);
        Assert.Equal(cp.Labels, read.Labels);
        Assert.Equal(cp.ProxyUrls, read.ProxyUrls);
        Assert.Equal(cp.Id, (await store.FindByNameAsync("a/b#c?d%e", ct))?.Id);
        Assert.Equal([cp.Id], (await store.ListAsync(ct)).Select(c => c.Id));
    }

    [Fact]
    public async Task A_taken_name_refuses_the_add_and_writes_nothing()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.True(await store.TryAddAsync(NewControlPlane("same"), ct));
        var second = NewControlPlane("same");
        Assert.False(await store.TryAddAsync(second, ct));
        Assert.Null(await store.FindAsync(second.Id, ct));
    }

    [Fact]
    public async Task Replace_is_conditional_on_the_version_read()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = NewControlPlane("v1");
        await store.TryAddAsync(cp, ct);
        var read = (await store.FindAsync(cp.Id, ct))!;

        Assert.Equal(ReplaceOutcome.Replaced, await store.TryReplaceAsync(read, read with { Name = "v2" }, ct));
        Assert.Equal(ReplaceOutcome.Stale, await store.TryReplaceAsync(read, read with { Name = "v3" }, ct));
        Assert.Equal("v2", (await store.FindAsync(cp.Id, ct))!.Name);
        Assert.Null(await store.FindByNameAsync("v1", ct));

        Assert.True(await store.TryAddAsync(NewControlPlane("other"), ct));
        var current = (await store.FindAsync(cp.Id, ct))!;
        Assert.Equal(ReplaceOutcome.NameTaken, await store.TryReplaceAsync(current, current with { Name = "other" }, ct));
    }

    [Fact]
    public async Task Remove_deletes_every_row_of_the_control_planes_entity_partition()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = NewControlPlane("doomed");
        var neighbour = NewControlPlane("neighbour");
        await store.TryAddAsync(cp, ct);
        await store.TryAddAsync(neighbour, ct);
        var entities = storage.CreateTableServiceClient().GetTableClient(layout.EntitiesTable);
        await FillPartitionAsync(entities, cp.Id, 250);
        await FillPartitionAsync(entities, neighbour.Id, 3);

        Assert.True(await store.TryRemoveAsync((await store.FindAsync(cp.Id, ct))!, ct));

        Assert.Null(await store.FindAsync(cp.Id, ct));
        Assert.Null(await store.FindByNameAsync("doomed", ct));
        await AssertOnlyTheRevisionTombstoneLeftAsync(entities, cp.Id);
        Assert.True((await new Gatehouse.Azure.Entities.TableEntityStore(storage.CreateTableServiceClient(), layout).GetRevisionAsync(cp.Id, ct)).Deleted);
        Assert.Equal(3, (await entities.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {neighbour.Id.ToString()}"), cancellationToken: ct).ToListAsync(ct)).Count);
        Assert.Equal(0, await store.CompletePendingDeletionsAsync(ct));
    }

    [Fact]
    public async Task Remove_deletes_the_control_planes_traffic_reports_and_keeps_its_neighbours()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = NewControlPlane("reported");
        var neighbour = NewControlPlane("reported-neighbour");
        await store.TryAddAsync(cp, ct);
        await store.TryAddAsync(neighbour, ct);
        var analytics = new Gatehouse.Azure.Analytics.TableAnalyticsStore(storage.CreateTableServiceClient(), layout);
        await analytics.InitializeAsync(ct);
        var minute = new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);
        foreach (var (id, reports) in new[] { (cp.Id, 130), (neighbour.Id, 2) })
        {
            for (var i = 0; i < reports; i++)
            {
                var traffic = new Gatehouse.Core.Analytics.ServiceTraffic();
                traffic.For("orders").AddRequests("2xx", 1);
                await analytics.WriteAsync(id, Guid.NewGuid(), minute.AddMinutes(i % 60), new Gatehouse.Core.Analytics.MetricsReport(i, minute, traffic), ct);
            }
        }

        Assert.True(await store.TryRemoveAsync((await store.FindAsync(cp.Id, ct))!, ct));

        async Task<int> CountAsync(Guid id) =>
            (await analytics.ReadAsync(id, minute.AddDays(-1), minute.AddDays(1), null, ct).ToListAsync(ct)).Count;
        Assert.Equal(0, await CountAsync(cp.Id));
        Assert.Equal(2, await CountAsync(neighbour.Id));
    }

    [Fact]
    public async Task A_deletion_interrupted_after_its_first_step_is_finished_later()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var orphan = Guid.NewGuid();
        var entities = storage.CreateTableServiceClient().GetTableClient(layout.EntitiesTable);
        await FillPartitionAsync(entities, orphan, 120);
        // What TryRemoveAsync leaves behind when the process dies right after its transaction.
        await storage.CreateTableServiceClient().GetTableClient(layout.ControlPlanesTable)
            .AddEntityAsync(new TableEntity("cp", $"deleting:{orphan}"), ct);

        Assert.Equal(1, await store.CompletePendingDeletionsAsync(ct));

        await AssertOnlyTheRevisionTombstoneLeftAsync(entities, orphan);
        Assert.Equal(0, await store.CompletePendingDeletionsAsync(ct));
    }

    [Fact]
    public async Task Revision_tombstones_go_once_no_racing_write_can_be_in_flight()
    {
        var (store, layout) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var tables = storage.CreateTableServiceClient();
        var entities = tables.GetTableClient(layout.EntitiesTable);
        var (fresh, old) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var (id, age) in new[] { (fresh, TimeSpan.FromMinutes(1)), (old, TimeSpan.FromHours(2)) })
        {
            await entities.AddEntityAsync(new TableEntity(id.ToString(), "rev") { ["Revision"] = 3L, ["Deleted"] = true }, ct);
            await tables.GetTableClient(layout.ControlPlanesTable).AddEntityAsync(
                new TableEntity("cp", $"deleted:{id}") { ["DeletedAt"] = DateTimeOffset.UtcNow - age }, ct);
        }

        await store.CompletePendingDeletionsAsync(ct);

        Assert.True((await entities.GetEntityIfExistsAsync<TableEntity>(fresh.ToString(), "rev", cancellationToken: ct)).HasValue);
        Assert.False((await entities.GetEntityIfExistsAsync<TableEntity>(old.ToString(), "rev", cancellationToken: ct)).HasValue);
    }

    private static async Task AssertOnlyTheRevisionTombstoneLeftAsync(TableClient entities, Guid controlPlane)
    {
        var left = await entities.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {controlPlane.ToString()}"), cancellationToken: TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        var revision = Assert.Single(left);
        Assert.Equal("rev", revision.RowKey);
        Assert.True(revision.GetBoolean("Deleted"));
    }

    [Fact]
    public async Task Remove_with_a_stale_version_refuses_and_keeps_everything()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = NewControlPlane("kept");
        await store.TryAddAsync(cp, ct);
        var read = (await store.FindAsync(cp.Id, ct))!;
        await store.TryReplaceAsync(read, read with { Description = "changed" }, ct);

        Assert.False(await store.TryRemoveAsync(read, ct));
        Assert.NotNull(await store.FindAsync(cp.Id, ct));
        Assert.NotNull(await store.FindByNameAsync("kept", ct));
    }

    private static async Task FillPartitionAsync(TableClient entities, Guid controlPlane, int rows)
    {
        for (var start = 0; start < rows; start += 100)
        {
            await entities.SubmitTransactionAsync(
                Enumerable.Range(start, Math.Min(100, rows - start))
                    .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(controlPlane.ToString(), $"e|service|{i:D5}") { ["Body"] = "{}" })),
                TestContext.Current.CancellationToken);
        }
    }
}
