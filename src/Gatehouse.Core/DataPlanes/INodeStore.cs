namespace Gatehouse.Core.DataPlanes;

/// <summary>Data plane nodes, kept per control plane, listed in node id order.</summary>
public interface INodeStore
{
    /// <summary>Writes the node as it is now, creating it or replacing what its last heartbeat said.</summary>
    Task UpsertAsync(DataPlaneNode node, CancellationToken cancellationToken);

    Task<DataPlaneNode?> FindAsync(Guid controlPlaneId, Guid nodeId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="size"/> nodes with ids after <paramref name="after"/>, and whether more follow.</summary>
    Task<(IReadOnlyList<DataPlaneNode> Page, bool More)> ListAsync(Guid controlPlaneId, int size, Guid? after, CancellationToken cancellationToken);

    Task<int> CountAsync(Guid controlPlaneId, CancellationToken cancellationToken);

    /// <summary>False when there was no such node.</summary>
    Task<bool> RemoveAsync(Guid controlPlaneId, Guid nodeId, CancellationToken cancellationToken);

    /// <summary>Removes the control plane's nodes last seen before <paramref name="before"/>; returns how many.</summary>
    Task<int> RemoveUnseenSinceAsync(Guid controlPlaneId, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Removes every node of a control plane (when it is deleted).</summary>
    Task RemoveAllAsync(Guid controlPlaneId, CancellationToken cancellationToken);
}
