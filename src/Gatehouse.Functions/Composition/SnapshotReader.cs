using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;

namespace Gatehouse.Functions.Composition;

/// <summary>Reads the current snapshot, composing one first when a control plane never had one.</summary>
internal sealed class SnapshotReader(ISnapshotStore store, Recomposer recomposer)
{
    public async Task<SnapshotPointer> PointerAsync(Guid controlPlane, CancellationToken ct) =>
        await store.GetPointerAsync(controlPlane, ct)
        ?? (await recomposer.RecomposeAsync(controlPlane, ct)).Pointer
        ?? throw ExistingControlPlane.NotFound(controlPlane);

    /// <summary>A group's status, composing it first when it never was.</summary>
    public async Task<GroupStatus> GroupStatusAsync(Guid group, CancellationToken ct)
    {
        if (await store.GetGroupStatusAsync(group, ct) is { } status)
        {
            return status;
        }
        await recomposer.RecomposeAsync(group, ct);
        return await store.GetGroupStatusAsync(group, ct) ?? new GroupStatus(GroupStatus.Unknown, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
    }

    public async Task<ReadOnlyMemory<byte>> ContentAsync(Guid controlPlane, SnapshotPointer pointer, CancellationToken ct) =>
        await store.ReadSnapshotAsync(controlPlane, pointer.Hash, ct)
        ?? throw new InvalidOperationException($"Snapshot {pointer.Hash} of control plane {controlPlane} is missing from storage.");
}
