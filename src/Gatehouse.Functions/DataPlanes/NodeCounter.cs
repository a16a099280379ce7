using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Rollouts;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// A control plane's live nodes counted by sync and compatibility status, judged as the node list
/// judges them (each node against its rollout target, on the plugin names the snapshot's pointer
/// carries) but without reading a row per node: the control plane's node partition is read in
/// pages of 1,000 — one request for up to 1,000 nodes — and a control plane without nodes costs
/// that one request only (its pointer and rollout are read only when there is a node to judge).
/// Nodes past the retention time are not counted; unlike the list, counting removes nothing.
/// </summary>
internal sealed class NodeCounter(INodeStore store, DataPlanePointers pointers, RolloutService rollouts, SnapshotPlugins plugins, NodeJudge judge, TimeProvider clock)
{
    private const int PageSize = 1000;

    public async Task<NodeCounts> CountAsync(Guid controlPlaneId, CancellationToken ct)
    {
        var nodes = await LiveNodesAsync(controlPlaneId, ct);
        if (nodes.Count == 0)
        {
            return NodeCounts.None;
        }
        var pointer = await pointers.CurrentAsync(controlPlaneId, ct);
        var rollout = await rollouts.ObserveAsync(controlPlaneId, pointer, ct);
        var views = new List<NodeView>(nodes.Count);
        foreach (var node in nodes)
        {
            var target = RolloutTargets.For(pointer, rollout, node);
            views.Add(new NodeView(node, judge.Compatibility(node, await plugins.NamesAsync(controlPlaneId, target, ct)), target.Hash));
        }
        return NodeCounts.Of(views);
    }

    private async Task<List<DataPlaneNode>> LiveNodesAsync(Guid controlPlaneId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var live = new List<DataPlaneNode>();
        Guid? after = null;
        while (true)
        {
            var (page, more) = await store.ListAsync(controlPlaneId, PageSize, after, ct);
            live.AddRange(page.Where(node => judge.IsLive(node, now)));
            if (!more)
            {
                return live;
            }
            after = page[^1].Id;
        }
    }
}
