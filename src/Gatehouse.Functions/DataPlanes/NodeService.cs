using System.Collections.Concurrent;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>A node with what Gatehouse concludes about it: its compatibility, and whether it runs the expected config.</summary>
internal sealed record NodeView(DataPlaneNode Node, CompatibilityStatus Compatibility, string ExpectedConfigHash)
{
    public const string InSync = "in_sync";
    public const string OutOfSync = "out_of_sync";

    public string SyncStatus => Node.ConfigHash == ExpectedConfigHash ? InSync : OutOfSync;
}

/// <summary>
/// Data plane nodes: heartbeats write them; listing and reading forget those unseen for longer
/// than <c>Gatehouse__DataPlane__NodeRetentionHours</c> (done on read, so no timer is needed and
/// nothing stale is ever shown); compatibility is judged against the current snapshot each time,
/// because it changes when the config does, not only when the node does.
/// </summary>
internal sealed class NodeService(
    INodeStore store, ControlPlaneService controlPlanes, SnapshotReader snapshots, DataPlanePointers pointers, SnapshotPlugins plugins,
    DataPlaneSettings settings, TimeProvider clock)
{
    private const int MaxKnownNodes = 100_000;

    /// <summary>When each node this process has heard from was first recorded: heartbeats then skip reading the row for it.</summary>
    private readonly ConcurrentDictionary<(Guid, Guid), DateTimeOffset> _createdAt = new();

    public async Task<NodeView> HeartbeatAsync(DataPlaneIdentity identity, HeartbeatReport report, CancellationToken ct)
    {
        var pointer = await pointers.CurrentAsync(identity.ControlPlaneId, ct);
        var key = (identity.ControlPlaneId, report.NodeId);
        var now = clock.GetUtcNow();
        if (!_createdAt.TryGetValue(key, out var createdAt))
        {
            createdAt = (await store.FindAsync(identity.ControlPlaneId, report.NodeId, ct))?.CreatedAt ?? now;
        }
        var node = new DataPlaneNode
        {
            Id = report.NodeId,
            ControlPlaneId = identity.ControlPlaneId,
            Hostname = report.Hostname,
            Version = report.Version,
            Plugins = report.Plugins,
            ConfigHash = report.ConfigHash,
            Labels = report.Labels,
            CertificateId = identity.CertificateId,
            LastError = report.Error,
            LastPing = now,
            CreatedAt = createdAt,
            UpdatedAt = now,
        };
        await store.UpsertAsync(node, ct);
        if (_createdAt.Count >= MaxKnownNodes)
        {
            _createdAt.Clear();
        }
        _createdAt[key] = createdAt;
        return new NodeView(node, Check(node, await plugins.OfAsync(identity.ControlPlaneId, pointer, ct)), pointer.Hash);
    }

    /// <summary>The node's compatibility with a snapshot that uses <paramref name="configured"/>.</summary>
    public CompatibilityStatus Check(DataPlaneNode node, IReadOnlyDictionary<string, IReadOnlyList<string>> configured) =>
        NodeCompatibility.Check(settings.KongVersion, node.Version, node.Plugins, configured);

    /// <summary>The node if it has been seen within the retention time.</summary>
    public async Task<DataPlaneNode?> FindLiveAsync(Guid controlPlaneId, Guid nodeId, CancellationToken ct) =>
        await store.FindAsync(controlPlaneId, nodeId, ct) is { } node && node.LastPing >= Horizon ? node : null;

    public async Task<(IReadOnlyList<NodeView> Page, bool More, int Total)> ListAsync(Guid controlPlaneId, int size, Guid? after, CancellationToken ct)
    {
        await controlPlanes.GetAsync(controlPlaneId, ct);
        await store.RemoveUnseenSinceAsync(controlPlaneId, Horizon, ct);
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
        _createdAt.TryRemove((controlPlaneId, nodeId), out _);
        if (!await store.RemoveAsync(controlPlaneId, nodeId, ct))
        {
            throw NotFound(nodeId);
        }
    }

    private DateTimeOffset Horizon => clock.GetUtcNow() - settings.NodeRetention;

    private async Task<IReadOnlyList<NodeView>> ViewsAsync(Guid controlPlaneId, IReadOnlyList<DataPlaneNode> nodes, CancellationToken ct)
    {
        if (nodes.Count == 0)
        {
            return [];
        }
        var pointer = await snapshots.PointerAsync(controlPlaneId, ct);
        var configured = await plugins.OfAsync(controlPlaneId, pointer, ct);
        return [.. nodes.Select(n => new NodeView(n, Check(n, configured), pointer.Hash))];
    }

    private static NotFoundException NotFound(Guid nodeId) => new($"No data plane node has the id {nodeId}.");
}
