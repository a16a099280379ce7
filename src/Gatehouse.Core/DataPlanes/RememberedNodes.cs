using System.Collections.Concurrent;

namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// Each node as this process last wrote or read it, with the hash of its facts
/// (<see cref="NodeFacts"/>): a heartbeat takes <c>created_at</c> from here instead of reading the
/// row, and a config pull whose facts hash matches is judged from here (<see cref="Recall"/>).
/// Safe to use from many requests at once.
/// </summary>
/// <param name="capacity">How many nodes it holds before it forgets them all.</param>
public sealed class RememberedNodes(int capacity = RememberedNodes.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<(Guid, Guid), Remembered> _nodes = new();

    public int Count => _nodes.Count;

    public void Remember(DataPlaneNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_nodes.Count >= capacity)
        {
            // Forgetting costs one read per node, once; tracking use would cost every request.
            _nodes.Clear();
        }
        _nodes[(node.ControlPlaneId, node.Id)] = new Remembered(node, NodeFacts.Hash(node));
    }

    public void Forget(Guid controlPlaneId, Guid nodeId) => _nodes.TryRemove((controlPlaneId, nodeId), out _);

    /// <summary>The node as last written or read here, whatever it has said since.</summary>
    public DataPlaneNode? Find(Guid controlPlaneId, Guid nodeId) =>
        _nodes.TryGetValue((controlPlaneId, nodeId), out var remembered) ? remembered.Node : null;

    /// <summary>
    /// The node, when <paramref name="factsHash"/> is that of the facts this process last heard
    /// from it: its compatibility then depends on exactly these facts, whichever instance took its
    /// later heartbeats. Null when the hash is absent or another, or the node is not remembered.
    /// </summary>
    public DataPlaneNode? Recall(Guid controlPlaneId, Guid nodeId, string? factsHash) =>
        factsHash is not null && _nodes.TryGetValue((controlPlaneId, nodeId), out var remembered) && remembered.FactsHash == factsHash
            ? remembered.Node
            : null;

    private sealed record Remembered(DataPlaneNode Node, string FactsHash);
}
