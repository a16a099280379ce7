using Gatehouse.Azure.Composition;
using Gatehouse.Azure.Rollouts;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Rollouts;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Rollouts;

/// <summary>
/// A rollout is decided by whichever instance asks first, so its row is written only at the version
/// it was read at: of two instances deciding from the same read, one wins and the other reads again.
/// </summary>
public sealed class TableRolloutStoreTests(StorageFixture storage)
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly RolloutPolicy s_policy = new(new Dictionary<string, string> { ["ring"] = "canary" }, [Guid.NewGuid()], 10, TimeSpan.FromSeconds(90), false);

    private async Task<TableRolloutStore> NewStoreAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("r"));
        var account = storage.CreateAccount();
        // The rollout row lives in the snapshots table, which the snapshot store creates.
        await new AzureSnapshotStore(account, layout).InitializeAsync(TestContext.Current.CancellationToken);
        return new TableRolloutStore(account, layout);
    }

    [Fact]
    public async Task A_rollout_reads_back_as_written_and_only_the_first_of_two_writers_from_one_read_wins()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await NewStoreAsync();
        var cp = Guid.NewGuid();
        Assert.Null(await store.GetAsync(cp, ct));

        var idle = RolloutEngine.Start("a", 1, s_now);
        var created = await store.TryWriteAsync(cp, s_policy, idle, null, ct);
        Assert.NotNull(created);
        Assert.Null(await store.TryWriteAsync(cp, s_policy, idle, null, ct));

        var read = (await store.GetAsync(cp, ct))!;
        Assert.Equal((idle, created), (read.State, read.Version));
        Assert.Equal(s_policy.CanaryLabels, read.Policy.CanaryLabels);
        Assert.Equal(s_policy.CanaryNodeIds, read.Policy.CanaryNodeIds);
        Assert.Equal((10, TimeSpan.FromSeconds(90), false), (read.Policy.CanaryPercentage, read.Policy.BakeTime, read.Policy.AutoPromote));

        var baking = RolloutEngine.Decide(s_policy, idle, "b", 2, s_now);
        var aborted = RolloutEngine.Abort(baking, s_now);
        Assert.NotNull(await store.TryWriteAsync(cp, s_policy, baking, read.Version, ct));
        Assert.Null(await store.TryWriteAsync(cp, s_policy, aborted, read.Version, ct));
        Assert.Equal(baking, (await store.GetAsync(cp, ct))!.State);

        Assert.True(await store.DeleteAsync(cp, ct));
        Assert.False(await store.DeleteAsync(cp, ct));
        Assert.Null(await store.TryWriteAsync(cp, s_policy, baking, read.Version, ct));
    }
}
