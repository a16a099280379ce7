using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// A control plane's live nodes counted by sync and compatibility status, judged by the node list's
/// own rule (<see cref="NodeService.ViewsAsync(Guid, Core.Composition.SnapshotPointer, IReadOnlyList{DataPlaneNode}, bool, CancellationToken)"/>,
/// on the plugin names the pointer carries, through the pointer cache) but without reading a row per node: the control plane's node partition is read in
/// pages of 1,000 — one request for up to 1,000 nodes — and a control plane without nodes costs
/// that one request only (its pointer and rollout are read only when there is a node to judge).
/// Nodes past the retention time are not counted; unlike the list, counting removes nothing.
/// </summary>
internal sealed class NodeCounter(INodeStore store, DataPlanePointers pointers, NodeService nodes, NodeJudge judge, TimeProvider clock)
{
    private const int PageSize = 1000;

    public async Task<NodeCounts> CountAsync(Guid controlPlaneId, CancellationToken ct)
    {
        var live = await LiveNodesAsync(controlPlaneId, ct);
        if (live.Count == 0)
        {
            return NodeCounts.None;
        }
        var pointer = await pointers.CurrentAsync(controlPlaneId, ct);
        return NodeCounts.Of(await nodes.ViewsAsync(controlPlaneId, pointer, live, namePlugins: false, ct));
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
