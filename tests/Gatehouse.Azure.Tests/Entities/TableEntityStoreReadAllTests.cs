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
/// <see cref="TableEntityStore.ReadAllAsync"/> returns every entity at one revision: never half of
/// a commit, never a commit of another instance missed, and, after this instance's own commit,
/// with no more than the entity query and one revision read.
/// </summary>
public sealed class TableEntityStoreReadAllTests(StorageFixture storage)
{
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }

    /// <summary>Two instances of the app on one table: each has its own store, as each process does.</summary>
    private async Task<(TableEntityStore A, TableEntityStore B, RequestCounter RequestsOfA)> TwoInstancesAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("r"));
        var counter = new RequestCounter();
        var options = new StorageAccountOptions();
        options.Tables.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var tablesOfA = storage.CreateAccount(options).Tables;
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
}
