using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Finds control planes whose revision is ahead of their snapshot — a write whose recompose
/// request was lost, or a poisoned message — and asks for them again. The revision row is the
/// outbox: work is owed exactly when it is ahead of the pointer.
/// </summary>
public sealed class Sweeper(IControlPlaneStore controlPlanes, IEntityStore entities, ISnapshotStore snapshots, IRecomposeQueue queue)
{
    public async Task<IReadOnlyList<Guid>> SweepAsync(CancellationToken cancellationToken)
    {
        var owed = new List<Guid>();
        foreach (var controlPlane in await controlPlanes.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var revision = await entities.GetRevisionAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
            var pointer = await snapshots.GetPointerAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
            if (!revision.Deleted && (pointer is null || pointer.Revision < revision.Number))
            {
                await queue.EnqueueAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
                owed.Add(controlPlane.Id);
            }
        }
        return owed;
    }
}
