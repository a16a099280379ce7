using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Rollouts;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.Rollouts;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Data plane nodes, between the API and the node store: heartbeats write them; listing and
/// reading forget those unseen for longer than <c>Gatehouse__DataPlane__NodeRetentionHours</c>
/// (done on read, so no timer is needed and nothing stale is ever shown). What is concluded about
/// a node is <see cref="NodeJudge"/>'s; this reads and writes what it needs.
/// </summary>
internal sealed class NodeService(
    INodeStore store, ControlPlaneService controlPlanes, SnapshotReader snapshots, DataPlanePointers pointers, SnapshotPlugins plugins,
    NodeJudge judge, RolloutService rollouts, TimeProvider clock)
{
    private readonly RememberedNodes _known = new();

    public async Task<NodeView> HeartbeatAsync(DataPlaneIdentity identity, HeartbeatReport report, CancellationToken ct)
    {
        var pointer = await pointers.CurrentAsync(identity.ControlPlaneId, ct);
        var firstSeen = _known.Find(identity.ControlPlaneId, report.NodeId)?.CreatedAt
            ?? (await store.FindAsync(identity.ControlPlaneId, report.NodeId, ct))?.CreatedAt;
        var node = judge.Record(identity.ControlPlaneId, identity.CertificateId, report, firstSeen, clock.GetUtcNow());
        await store.UpsertAsync(node, ct);
        _known.Remember(node);
        var rollout = await RolloutAfterAsync(identity.ControlPlaneId, pointer, node, ct);
        var target = RolloutTargets.For(pointer, rollout, node);
        return new NodeView(node, await CompatibilityAsync(identity.ControlPlaneId, target, node, ct), target.Hash);
    }

    /// <summary>
    /// The control plane's rollout once this heartbeat is heard: a canary that says its Kong refused
    /// the canary config, or that cannot run it, rolls the rollout back.
    /// </summary>
    private async Task<StoredRollout?> RolloutAfterAsync(Guid controlPlaneId, SnapshotPointer pointer, DataPlaneNode node, CancellationToken ct)
    {
        var rollout = await rollouts.ObserveAsync(controlPlaneId, pointer, ct);
        if (rollout is not { State: { IsBaking: true, CanaryHash: { } canary } } || !rollout.Policy.IsCanary(node))
        {
            return rollout;
        }
        var compatibility = await CompatibilityAsync(controlPlaneId, RolloutTargets.Of(pointer, canary), node, ct);
        return RolloutEngine.Failure(rollout.Policy, rollout.State, node, compatibility) is { } reason
            ? await rollouts.RollBackAsync(controlPlaneId, canary, reason, ct) ?? rollout
            : rollout;
    }

    /// <summary>
    /// The node's compatibility with the snapshot <paramref name="pointer"/> names, judged on the
    /// plugin names it carries; the snapshot is read for the plugins' instances only when the
    /// verdict is about plugins, to name them.
    /// </summary>
    public async Task<CompatibilityStatus> CompatibilityAsync(Guid controlPlaneId, SnapshotPointer pointer, DataPlaneNode node, CancellationToken ct)
    {
        var status = judge.Compatibility(node, await plugins.NamesAsync(controlPlaneId, pointer, ct));
        return status.ConcernsPlugins ? judge.Compatibility(node, await plugins.InstancesAsync(controlPlaneId, pointer, ct)) : status;
    }

    /// <summary>The node if it has been seen within the retention time.</summary>
    public async Task<DataPlaneNode?> FindLiveAsync(Guid controlPlaneId, Guid nodeId, CancellationToken ct) =>
        await store.FindAsync(controlPlaneId, nodeId, ct) is { } node && judge.IsLive(node, clock.GetUtcNow()) ? node : null;

    /// <summary>
    /// The node as a config pull needs it, to judge its compatibility: from memory when the pull's
    /// <paramref name="factsHash"/> is that of the facts this process last heard from the node
    /// (<see cref="RememberedNodes.Recall"/>), otherwise read. A node deleted through another
    /// instance is judged on its last facts here rather than not at all, which withholds nothing
    /// it would otherwise be given.
    /// </summary>
    public async Task<DataPlaneNode?> FindForConfigAsync(Guid controlPlaneId, Guid nodeId, string? factsHash, CancellationToken ct)
    {
        if (_known.Recall(controlPlaneId, nodeId, factsHash) is { } known && judge.IsLive(known, clock.GetUtcNow()))
        {
            return known;
        }
        var node = await FindLiveAsync(controlPlaneId, nodeId, ct);
        if (node is not null)
        {
            _known.Remember(node);
        }
        return node;
    }

    public async Task<(IReadOnlyList<NodeView> Page, bool More, int Total)> ListAsync(Guid controlPlaneId, int size, Guid? after, CancellationToken ct)
    {
        await controlPlanes.GetAsync(controlPlaneId, ct);
        await store.RemoveUnseenSinceAsync(controlPlaneId, judge.Horizon(clock.GetUtcNow()), ct);
        var (page, more) = await store.ListAsync(controlPlaneId, size, after, ct);
        var total = await store.CountAsync(controlPlaneId, ct);
        return ([.. await ViewsAsync(controlPlaneId, page, ct)], more, total);
    }

    public async Task<NodeView> GetAsync(Guid controlPlaneId, Guid nodeId, CancellationToken ct)
    {
        await controlPlanes.GetAsync(controlPlaneId, ct);
        var node = await FindLiveAsync(controlPlaneId, nodeId, ct) ?? throw NotFound(nodeId);
        return (await ViewsAsync(controlPlaneId, [node], ct))[0];
    }

    public async Task DeleteAsync(Guid controlPlaneId, Guid nodeId, CancellationToken ct)
    {
        await controlPlanes.GetAsync(controlPlaneId, ct);
        _known.Forget(controlPlaneId, nodeId);
        if (!await store.RemoveAsync(controlPlaneId, nodeId, ct))
        {
            throw NotFound(nodeId);
        }
    }

    private async Task<IReadOnlyList<NodeView>> ViewsAsync(Guid controlPlaneId, IReadOnlyList<DataPlaneNode> nodes, CancellationToken ct) =>
        nodes.Count == 0 ? [] : await ViewsAsync(controlPlaneId, await snapshots.PointerAsync(controlPlaneId, ct), nodes, namePlugins: true, ct);

    /// <summary>
    /// Each node judged against its rollout target under <paramref name="pointer"/>: the one rule for
    /// the list, a node and the overview's counts. Without <paramref name="namePlugins"/> the verdict
    /// rests on the plugin names the pointer carries, which decide the state; the snapshot is read
    /// only to name the plugin instances a verdict is about.
    /// </summary>
    public async Task<IReadOnlyList<NodeView>> ViewsAsync(
        Guid controlPlaneId, SnapshotPointer pointer, IReadOnlyList<DataPlaneNode> nodes, bool namePlugins, CancellationToken ct)
    {
        var rollout = await rollouts.ObserveAsync(controlPlaneId, pointer, ct);
        var views = new List<NodeView>(nodes.Count);
        foreach (var node in nodes)
        {
            var target = RolloutTargets.For(pointer, rollout, node);
            var compatibility = namePlugins
                ? await CompatibilityAsync(controlPlaneId, target, node, ct)
                : judge.Compatibility(node, await plugins.NamesAsync(controlPlaneId, target, ct));
            views.Add(new NodeView(node, compatibility, target.Hash));
        }
        return views;
    }

    private static NotFoundException NotFound(Guid nodeId) => new($"No data plane node has the id {nodeId}.");
}
