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

    /// <summary>
    /// Each node as this process last wrote or read it, with the hash of its facts: heartbeats take
    /// <c>created_at</c> from here instead of reading the row, and a config pull whose facts hash
    /// matches is judged from here (<see cref="FindForConfigAsync"/>).
    /// </summary>
    private readonly ConcurrentDictionary<(Guid, Guid), KnownNode> _known = new();

    public async Task<NodeView> HeartbeatAsync(DataPlaneIdentity identity, HeartbeatReport report, CancellationToken ct)
    {
        var pointer = await pointers.CurrentAsync(identity.ControlPlaneId, ct);
        var key = (identity.ControlPlaneId, report.NodeId);
        var now = clock.GetUtcNow();
        var createdAt = _known.TryGetValue(key, out var known)
            ? known.Node.CreatedAt
            : (await store.FindAsync(identity.ControlPlaneId, report.NodeId, ct))?.CreatedAt ?? now;
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
        Remember(node);
        return new NodeView(node, Check(node, await plugins.OfAsync(identity.ControlPlaneId, pointer, ct)), pointer.Hash);
    }

    /// <summary>The node's compatibility with a snapshot that uses <paramref name="configured"/>.</summary>
    public CompatibilityStatus Check(DataPlaneNode node, IReadOnlyDictionary<string, IReadOnlyList<string>> configured) =>
        NodeCompatibility.Check(settings.KongVersion, node.Version, node.Plugins, configured);

    /// <summary>The node if it has been seen within the retention time.</summary>
    public async Task<DataPlaneNode?> FindLiveAsync(Guid controlPlaneId, Guid nodeId, CancellationToken ct) =>
        await store.FindAsync(controlPlaneId, nodeId, ct) is { } node && node.LastPing >= Horizon ? node : null;

    /// <summary>
    /// The node as a config pull needs it, to judge its compatibility: from memory when the pull's
    /// <paramref name="factsHash"/> is that of the facts this process last heard from the node (they
    /// are then exactly the node's facts, whichever instance took its later heartbeats), otherwise
    /// read. A node deleted through another instance is judged on its last facts here rather than
    /// not at all, which withholds nothing it would otherwise be given.
    /// </summary>
    public async Task<DataPlaneNode?> FindForConfigAsync(Guid controlPlaneId, Guid nodeId, string? factsHash, CancellationToken ct)
    {
        if (factsHash is not null && _known.TryGetValue((controlPlaneId, nodeId), out var known)
            && known.FactsHash == factsHash && known.Node.LastPing >= Horizon)
        {
            return known.Node;
        }
        var node = await FindLiveAsync(controlPlaneId, nodeId, ct);
        if (node is not null)
        {
            Remember(node);
        }
        return node;
    }

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
        _known.TryRemove((controlPlaneId, nodeId), out _);
        if (!await store.RemoveAsync(controlPlaneId, nodeId, ct))
        {
            throw NotFound(nodeId);
        }
    }

    private DateTimeOffset Horizon => clock.GetUtcNow() - settings.NodeRetention;

    private void Remember(DataPlaneNode node)
    {
        if (_known.Count >= MaxKnownNodes)
        {
            // Forgetting costs one read per node, once; tracking use would cost every request.
            _known.Clear();
        }
        _known[(node.ControlPlaneId, node.Id)] = new KnownNode(node, NodeFacts.Hash(node));
    }

    private sealed record KnownNode(DataPlaneNode Node, string FactsHash);

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
