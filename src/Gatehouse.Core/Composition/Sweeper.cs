using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Finds control planes whose revision is ahead of their snapshot — a write whose recompose
/// request was lost, or a poisoned message — and asks for them again. The revision row is the
/// outbox: work is owed exactly when it is ahead of the pointer.
/// </summary>
public sealed class Sweeper(
    IControlPlaneStore controlPlanes, IEntityStore entities, ISnapshotStore snapshots, IGroupMembershipStore memberships, IRecomposeQueue queue)
{
    public async Task<IReadOnlyList<Guid>> SweepAsync(CancellationToken cancellationToken)
    {
        var owed = new List<Guid>();
        var membership = await memberships.ReadAsync(cancellationToken).ConfigureAwait(false);
        var revisions = new Dictionary<Guid, Revision>();
        async Task<Revision> RevisionOf(Guid id) =>
            revisions.TryGetValue(id, out var known) ? known : revisions[id] = await entities.GetRevisionAsync(id, cancellationToken).ConfigureAwait(false);

        foreach (var controlPlane in await controlPlanes.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var pointer = await snapshots.GetPointerAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
            bool isOwed;
            if (controlPlane.IsGroup)
            {
                // A group owes work when its membership or any member moved since its snapshot
                // (or, while its members conflict, until they no longer do).
                var members = new Dictionary<Guid, long>();
                foreach (var member in membership.MembersOf(controlPlane.Id))
                {
                    members[member] = (await RevisionOf(member).ConfigureAwait(false)).Number;
                }
                var now = new SnapshotPointer(membership.Sequence, new ConfigHash("", "", "", "", "", "", ""), default, default) { Members = members };
                isOwed = pointer is null || !pointer.SameSource(now);
            }
            else
            {
                var revision = await RevisionOf(controlPlane.Id).ConfigureAwait(false);
                isOwed = !revision.Deleted && (pointer is null || pointer.Revision < revision.Number);
            }
            if (isOwed)
            {
                await queue.EnqueueAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
                owed.Add(controlPlane.Id);
            }
        }
        return owed;
    }
}
