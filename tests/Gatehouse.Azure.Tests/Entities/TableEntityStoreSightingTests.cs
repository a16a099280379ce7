using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Entities;

/// <summary>
/// The store starts reads and commits from its last sighting of a control plane's revision
/// (<see cref="TableEntityStore.LastSeenRevision"/>). <see cref="TableEntityStore.ReadAllAsync"/>
/// still returns every entity at one revision: never half of a commit, never a commit of another
/// instance missed, and after this instance's own commit with only the entity query and one
/// revision read. A commit from a stale sighting is refused as stale, never applied.
/// </summary>
public sealed class TableEntityStoreSightingTests(StorageFixture storage)
{
    /// <summary>Two instances of the app on one table: each has its own store, as each process does.</summary>
    private async Task<(TableEntityStore A, TableEntityStore B, RequestCounter RequestsOfA)> TwoInstancesAsync(HttpPipelinePolicy? policyOfA = null)
    {
        var layout = new StorageLayout(storage.UniqueName("r"));
        var counter = new RequestCounter();
        var tablesOfA = counter.Tables(storage, policyOfA);
        await tablesOfA.GetTableClient(layout.EntitiesTable).CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
        return (new TableEntityStore(tablesOfA, layout), new TableEntityStore(storage.CreateTableServiceClient(), layout), counter);
    }

    private static async Task AddConsumerAsync(TableEntityStore store, Guid cp, string username)
    {
        var ct = TestContext.Current.CancellationToken;
        var consumer = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = username };
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var revision = await store.GetRevisionAsync(cp, ct);
            var result = await store.CommitAsync(cp, revision, [new EntityChange.Put(Consumers.Schema, consumer, null)], ct);
            if (result.Outcome == CommitOutcome.Committed)
            {
                return;
            }
            Assert.Equal(CommitOutcome.Stale, result.Outcome);
        }
        Assert.Fail($"{username} lost 50 races in a row");
    }

    private static IEnumerable<string> Usernames(EntitySnapshot snapshot) =>
        snapshot.Entities.GetValueOrDefault("consumers", []).Select(c => c["username"]!.GetValue<string>()).Order(StringComparer.Ordinal);

    [Fact]
    public async Task After_this_instances_own_commit_a_read_is_the_entity_query_and_one_revision_read()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, _, requests) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        await AddConsumerAsync(a, cp, "alice");

        var before = requests.Count;
        var snapshot = await a.ReadAllAsync(cp, ct);

        Assert.Equal(2, requests.Count - before);
        Assert.Equal(1, snapshot.Revision);
        Assert.Equal(["alice"], Usernames(snapshot));
    }

    [Fact]
    public async Task A_commit_made_by_another_instance_since_this_one_last_looked_is_read()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, b, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        await AddConsumerAsync(a, cp, "alice");
        Assert.Equal(["alice"], Usernames(await a.ReadAllAsync(cp, ct)));

        await AddConsumerAsync(b, cp, "bob");
        var snapshot = await a.ReadAllAsync(cp, ct);

        Assert.Equal(2, snapshot.Revision);
        Assert.Equal(["alice", "bob"], Usernames(snapshot));
    }

    [Fact]
    public async Task Reads_racing_another_instances_commits_never_see_half_of_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, b, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        await AddConsumerAsync(a, cp, "c0");

        // Each commit adds one consumer and moves the revision by one, so a read at one revision
        // holds exactly as many consumers as that revision's number.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 40; i++)
            {
                await AddConsumerAsync(b, cp, $"c{i}");
                // About a read's time apart: commits land during reads, but not so fast that no
                // read can ever finish (a read gives up after 20 passes, and the recomposer retries).
                await Task.Delay(Random.Shared.Next(1, 6), ct);
            }
        }, ct);
        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var snapshot = await a.ReadAllAsync(cp, ct);
            Assert.Equal(snapshot.Revision, snapshot.Entities["consumers"].Count);
            reads++;
        }
        await writer;

        var last = await a.ReadAllAsync(cp, ct);
        Assert.Equal(41, last.Revision);
        Assert.Equal(41, last.Entities["consumers"].Count);
    }

    [Fact]
    public async Task A_commit_is_seen_as_the_revision_a_fresh_read_would_find()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, _, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        Assert.Null(a.LastSeenRevision(cp));
        await AddConsumerAsync(a, cp, "alice");

        var seen = a.LastSeenRevision(cp);
        Assert.Equal(await a.GetRevisionAsync(cp, ct), seen);
    }

    [Fact]
    public async Task A_commit_from_a_sighting_another_instance_has_overtaken_is_stale_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, b, _) = await TwoInstancesAsync();
        var cp = Guid.NewGuid();
        await AddConsumerAsync(a, cp, "alice");
        var stale = a.LastSeenRevision(cp)!;
        await AddConsumerAsync(b, cp, "bob");

        var carol = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = "carol" };
        var result = await a.CommitAsync(cp, stale, [new EntityChange.Put(Consumers.Schema, carol, null)], ct);

        Assert.Equal(CommitOutcome.Stale, result.Outcome);
        var snapshot = await a.ReadAllAsync(cp, ct);
        Assert.Equal(["alice", "bob"], Usernames(snapshot));
        Assert.Equal(2, a.LastSeenRevision(cp)!.Number);
    }

    [Fact]
    public async Task A_read_that_a_commit_lands_in_every_time_ends_at_one_revision_from_the_change_log()
    {
        var ct = TestContext.Current.CancellationToken;
        var during = new BeforeEachQuery();
        var (a, b, _) = await TwoInstancesAsync(during);
        var cp = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            await AddConsumerAsync(a, cp, $"c{i}");
        }
        // Another instance commits while every one of this instance's entity queries is on its way:
        // writes that never pause, and a query slower than the time between them. Each commit adds
        // one consumer, so the entities at revision r are exactly the first r consumers.
        var made = 0;
        during.Run = () => AddConsumerAsync(b, cp, $"d{Interlocked.Increment(ref made)}");

        var snapshot = await a.ReadAllAsync(cp, ct);

        during.Run = null;
        Assert.InRange(made, 2, 3);
        Assert.InRange(snapshot.Revision, 3 + 1, 3 + made);
        Assert.Equal(
            ["c0", "c1", "c2", .. Enumerable.Range(1, (int)snapshot.Revision - 3).Select(d => $"d{d}")],
            Usernames(snapshot).Order(Comparer<string>.Create((x, y) => (x[0], int.Parse(x[1..], CultureInfo.InvariantCulture)).CompareTo((y[0], int.Parse(y[1..], CultureInfo.InvariantCulture))))));
        var ids = snapshot.Entities["consumers"].Select(EntityIndexes.IdOf).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        var settled = await a.ReadAllAsync(cp, ct);
        Assert.Equal(3 + made, settled.Revision);
        Assert.Equal(3 + made, settled.Entities["consumers"].Count);
    }

    /// <summary>Runs <see cref="Run"/> before each table query (a GET with a filter) this client sends, and waits for it.</summary>
    private sealed class BeforeEachQuery : HttpPipelinePolicy
    {
        public Func<Task>? Run { get; set; }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Get && message.Request.Uri.Query.Contains("filter=", StringComparison.Ordinal) && Run is { } run)
            {
                await run();
            }
            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The storage clients send asynchronously.");
    }
}
