using Azure;
using Azure.Core;
using Gatehouse.Azure.DataPlanes;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.DataPlanes;

/// <summary>
/// The node store against Azurite, above all its group commit of heartbeats: rows that arrive
/// while a write of their control plane is in flight go together in the next transaction. A
/// <see cref="WriteGate"/> holds that write where a test needs to know what queued behind it.
/// </summary>
public sealed class TableNodeStoreTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TableNodeStore Store, WriteGate Gate)> NewStoreAsync()
    {
        var gate = new WriteGate();
        var options = new StorageAccountOptions();
        options.Tables.AddPolicy(gate, HttpPipelinePosition.BeforeTransport);
        var store = new TableNodeStore(storage.CreateAccount(options).Tables, new StorageLayout(storage.UniqueName("n")));
        await store.InitializeAsync(Ct);
        return (store, gate);
    }

    private static DataPlaneNode NewNode(Guid controlPlaneId, int n, Guid? id = null)
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(n * 1_234_567L);
        return new DataPlaneNode
        {
            Id = id ?? Guid.NewGuid(),
            ControlPlaneId = controlPlaneId,
            Hostname = $"kong-{n}.example.com",
            Version = $"3.9.{n % 10}.0",
            Plugins = [new NodePlugin("rate-limiting", $"3.9.{n}"), new NodePlugin($"custom-{n}", null)],
            ConfigHash = $"{n:x32}",
            Labels = new Dictionary<string, string> { ["zone"] = $"z{n % 3}", ["n"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            CertificateId = Guid.NewGuid(),
            LastError = n % 2 == 0 ? new NodeError($"refused config {n}", $"{n + 1:x32}") : null,
            LastPing = at.AddSeconds(30),
            CreatedAt = at,
            UpdatedAt = at.AddSeconds(30),
        };
    }

    private static void AssertSameNode(DataPlaneNode expected, DataPlaneNode? actual)
    {
        Assert.NotNull(actual);
        // Records compare their lists by reference: compare those apart, and the rest whole.
        Assert.Equal(expected with { Plugins = actual.Plugins, Labels = actual.Labels }, actual);
        Assert.Equal(expected.Plugins, actual.Plugins);
        Assert.Equal(expected.Labels.OrderBy(l => l.Key), actual.Labels.OrderBy(l => l.Key));
    }

    private static async Task<Dictionary<Guid, DataPlaneNode>> ReadAllAsync(TableNodeStore store, Guid controlPlaneId)
    {
        var (page, more) = await store.ListAsync(controlPlaneId, 1000, null, Ct);
        Assert.False(more);
        return page.ToDictionary(n => n.Id);
    }

    // Not a speed limit: a guard so that a deadlock fails the test instead of hanging the run.
    private static Task Answered(Task task) => task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

    [Fact]
    public async Task A_lone_upsert_is_one_plain_write_and_reads_back_exactly()
    {
        var (store, gate) = await NewStoreAsync();
        var node = NewNode(Guid.NewGuid(), 2);

        await store.UpsertAsync(node, Ct);

        AssertSameNode(node, await store.FindAsync(node.ControlPlaneId, node.Id, Ct));
        Assert.Equal((1, 0), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);

        // A later heartbeat replaces the row whole: its error is gone, not merged in.
        var later = NewNode(node.ControlPlaneId, 3, node.Id);
        await store.UpsertAsync(later, Ct);
        AssertSameNode(later, await store.FindAsync(node.ControlPlaneId, node.Id, Ct));
        Assert.Equal((2, 0), (gate.Singles, gate.Transactions));
    }

    [Fact]
    public async Task Concurrent_upserts_of_one_control_plane_all_land_in_a_few_transactions()
    {
        var (store, gate) = await NewStoreAsync();
        var cp = Guid.NewGuid();
        var nodes = Enumerable.Range(0, 250).Select(n => NewNode(cp, n)).ToArray();
        var hold = gate.HoldNext();

        // 250 heartbeats at once; the first to arrive is written alone, and held in flight until
        // the other 249 have queued, so that how they are grouped is known.
        var upserts = new Task[nodes.Length];
        Parallel.For(0, nodes.Length, i => upserts[i] = store.UpsertAsync(nodes[i], Ct));
        await hold.Held.WaitAsync(Ct);
        hold.Release();
        await Answered(Task.WhenAll(upserts));

        var stored = await ReadAllAsync(store, cp);
        Assert.Equal(nodes.Length, stored.Count);
        foreach (var node in nodes)
        {
            AssertSameNode(node, stored.GetValueOrDefault(node.Id));
        }
        // One alone, then the 249 that queued in transactions of at most 100.
        Assert.Equal((1, 3), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);
    }

    [Fact]
    public async Task Concurrent_upserts_of_two_control_planes_all_land_in_their_own()
    {
        var (store, _) = await NewStoreAsync();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var nodes = Enumerable.Range(0, 240).Select(n => NewNode(n % 2 == 0 ? first : second, n)).ToArray();

        var upserts = new Task[nodes.Length];
        Parallel.For(0, nodes.Length, i => upserts[i] = store.UpsertAsync(nodes[i], Ct));
        await Answered(Task.WhenAll(upserts));

        foreach (var cp in new[] { first, second })
        {
            var stored = await ReadAllAsync(store, cp);
            var expected = nodes.Where(n => n.ControlPlaneId == cp).ToArray();
            Assert.Equal(expected.Length, stored.Count);
            foreach (var node in expected)
            {
                AssertSameNode(node, stored.GetValueOrDefault(node.Id));
            }
        }
        Assert.Equal(0, store.PartitionsWriting);
    }

    [Fact]
    public async Task A_node_queued_many_times_is_written_once_and_the_last_one_queued_wins()
    {
        var (store, gate) = await NewStoreAsync();
        var cp = Guid.NewGuid();
        var nodeId = Guid.NewGuid();
        var hold = gate.HoldNext();
        var first = store.UpsertAsync(NewNode(cp, 0, nodeId), Ct);
        await hold.Held.WaitAsync(Ct);

        // One caller after another while the first write is held: each of these queues, in this
        // order, and each beat of the node replaces the one queued before it.
        var beats = Enumerable.Range(1, 30).Select(n => NewNode(cp, n, nodeId)).ToArray();
        var others = Enumerable.Range(100, 30).Select(n => NewNode(cp, n)).ToArray();
        var upserts = new List<Task>();
        for (var i = 0; i < beats.Length; i++)
        {
            upserts.Add(store.UpsertAsync(beats[i], Ct));
            upserts.Add(store.UpsertAsync(others[i], Ct));
        }
        Assert.All(upserts, u => Assert.False(u.IsCompleted));
        hold.Release();
        await Answered(first);
        await Answered(Task.WhenAll(upserts));

        AssertSameNode(beats[^1], await store.FindAsync(cp, nodeId, Ct));
        var stored = await ReadAllAsync(store, cp);
        Assert.Equal(others.Length + 1, stored.Count);
        foreach (var node in others)
        {
            AssertSameNode(node, stored.GetValueOrDefault(node.Id));
        }
        // The first beat alone, then the last beat and the 30 others in one transaction: every
        // superseded caller was answered by the write of the beat that replaced it.
        Assert.Equal((1, 1), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);
    }

    [Fact]
    public async Task A_row_too_large_fails_only_its_own_caller_and_the_rest_of_its_batch_lands()
    {
        var (store, gate) = await NewStoreAsync();
        var cp = Guid.NewGuid();
        var hold = gate.HoldNext();
        var first = store.UpsertAsync(NewNode(cp, 0), Ct);
        await hold.Held.WaitAsync(Ct);

        var valid = Enumerable.Range(1, 60).Select(n => NewNode(cp, n)).ToArray();
        // Its labels serialize past what one property of an entity holds (32K characters).
        var tooLarge = NewNode(cp, 999) with { Labels = new Dictionary<string, string> { ["blob"] = new('x', 40_000) } };
        var upserts = valid.Take(30).Select(n => store.UpsertAsync(n, Ct)).ToList();
        var refused = store.UpsertAsync(tooLarge, Ct);
        upserts.AddRange(valid.Skip(30).Select(n => store.UpsertAsync(n, Ct)));
        hold.Release();
        await Answered(first);
        await Answered(Task.WhenAll(upserts));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => refused);
        Assert.Contains("'Labels'", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync(cp, tooLarge.Id, Ct));
        var stored = await ReadAllAsync(store, cp);
        foreach (var node in valid)
        {
            AssertSameNode(node, stored.GetValueOrDefault(node.Id));
        }
        Assert.Equal((1, 1), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);
    }

    [Fact]
    public async Task A_refused_transaction_is_written_row_by_row_and_only_the_refused_row_fails()
    {
        var (store, gate) = await NewStoreAsync();
        var cp = Guid.NewGuid();
        var nodes = Enumerable.Range(0, 20).Select(n => NewNode(cp, n)).ToArray();
        var refusedNode = nodes[7];
        // The service refuses every transaction, and this one row however it comes.
        gate.Refuse = r => WriteGate.IsTransaction(r) || WriteGate.IsWriteOf(r, refusedNode.Id);
        var hold = gate.HoldNext();
        var first = store.UpsertAsync(NewNode(cp, 100), Ct);
        await hold.Held.WaitAsync(Ct);
        var upserts = nodes.ToDictionary(n => n.Id, n => store.UpsertAsync(n, Ct));
        hold.Release();
        await Answered(first);
        await Answered(Task.WhenAll(upserts.Where(u => u.Key != refusedNode.Id).Select(u => u.Value)));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => Answered(upserts[refusedNode.Id]));
        Assert.Equal(403, e.Status);
        Assert.Null(await store.FindAsync(cp, refusedNode.Id, Ct));
        foreach (var node in nodes.Where(n => n != refusedNode))
        {
            AssertSameNode(node, await store.FindAsync(cp, node.Id, Ct));
        }
        // The first alone, one refused transaction, then each of its 20 rows alone.
        Assert.Equal((1 + nodes.Length, 1), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);

        // The partition is not left waiting on the failure: transactions work again.
        gate.Refuse = null;
        await AssertPartitionWritesAgainAsync(store, gate, cp);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_stop_the_write_of_the_others()
    {
        var (store, gate) = await NewStoreAsync();
        var cp = Guid.NewGuid();
        var hold = gate.HoldNext();
        var first = store.UpsertAsync(NewNode(cp, 0), Ct);
        await hold.Held.WaitAsync(Ct);

        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var impatient = NewNode(cp, 1);
        var patient = Enumerable.Range(2, 5).Select(n => NewNode(cp, n)).ToArray();
        var cancelled = store.UpsertAsync(impatient, giveUp.Token);
        var upserts = patient.Select(n => store.UpsertAsync(n, Ct)).ToArray();
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.All(upserts, u => Assert.False(u.IsCompleted));

        hold.Release();
        await Answered(first);
        await Answered(Task.WhenAll(upserts));
        foreach (var node in patient)
        {
            AssertSameNode(node, await store.FindAsync(cp, node.Id, Ct));
        }
        // It had queued before it gave up, and its row went with the others: giving up is not
        // taking back, as a request cancelled in flight may have been written too.
        AssertSameNode(impatient, await store.FindAsync(cp, impatient.Id, Ct));
        Assert.Equal((1, 1), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);
    }

    [Fact]
    public async Task A_cancelled_write_in_flight_frees_its_partition_for_the_rows_queued_behind_it()
    {
        var (store, gate) = await NewStoreAsync();
        var cp = Guid.NewGuid();
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var hold = gate.HoldNext();
        var abandoned = NewNode(cp, 0);
        var inFlight = store.UpsertAsync(abandoned, giveUp.Token);
        await hold.Held.WaitAsync(Ct);
        var queued = Enumerable.Range(1, 3).Select(n => NewNode(cp, n)).ToArray();
        var upserts = queued.Select(n => store.UpsertAsync(n, Ct)).ToArray();

        // The lone write is its caller's own: its token does cancel the request.
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inFlight);
        await Answered(Task.WhenAll(upserts));

        Assert.Null(await store.FindAsync(cp, abandoned.Id, Ct));
        foreach (var node in queued)
        {
            AssertSameNode(node, await store.FindAsync(cp, node.Id, Ct));
        }
        Assert.Equal(0, store.PartitionsWriting);
        await AssertPartitionWritesAgainAsync(store, gate, cp);
    }

    [Fact]
    public async Task A_caller_already_cancelled_writes_nothing()
    {
        var (store, gate) = await NewStoreAsync();
        var node = NewNode(Guid.NewGuid(), 0);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpsertAsync(node, new CancellationToken(canceled: true)));

        Assert.Null(await store.FindAsync(node.ControlPlaneId, node.Id, Ct));
        Assert.Equal((0, 0), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);
    }

    /// <summary>A lone write goes at once, and rows queued behind a held one share a transaction.</summary>
    private static async Task AssertPartitionWritesAgainAsync(TableNodeStore store, WriteGate gate, Guid cp)
    {
        var (singles, transactions) = (gate.Singles, gate.Transactions);
        var alone = NewNode(cp, 500);
        await Answered(store.UpsertAsync(alone, Ct));
        AssertSameNode(alone, await store.FindAsync(cp, alone.Id, Ct));

        var hold = gate.HoldNext();
        var first = store.UpsertAsync(NewNode(cp, 501), Ct);
        await hold.Held.WaitAsync(Ct);
        var together = Enumerable.Range(502, 3).Select(n => NewNode(cp, n)).ToArray();
        var upserts = together.Select(n => store.UpsertAsync(n, Ct)).ToArray();
        hold.Release();
        await Answered(Task.WhenAll([first, .. upserts]));
        foreach (var node in together)
        {
            AssertSameNode(node, await store.FindAsync(cp, node.Id, Ct));
        }
        Assert.Equal((singles + 2, transactions + 1), (gate.Singles, gate.Transactions));
        Assert.Equal(0, store.PartitionsWriting);
    }
}
