using Gatehouse.Core.Access;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.DataPlanes;

namespace Gatehouse.Functions.ControlPlanes;

/// <summary>One control plane of a summary page: its node counts, and for a group its status; each null when the caller may not read it.</summary>
internal sealed record ControlPlaneSummary(ControlPlane ControlPlane, NodeCounts? Nodes, GroupStatus? GroupStatus);

/// <summary>
/// What an overview shows of each control plane of a page beyond the control plane itself: its
/// nodes counted (<see cref="NodeCounter"/>) and, for a group, its stored status. Node counts and
/// a group's status are what the nodes and group-status endpoints answer, so they are given only
/// where the caller may read those (Viewer or Admin); any role lets it see the control plane.
/// The control planes of a page are summarized concurrently, a few at a time; a group's status is
/// one point read of what its last composition stored (a group never composed is UNKNOWN here:
/// a list does not compose).
/// </summary>
internal sealed class ControlPlaneSummaries(NodeCounter nodes, ISnapshotStore snapshots)
{
    private const int Concurrency = 16;

    public async Task<IReadOnlyList<ControlPlaneSummary>> SummarizeAsync(IReadOnlyList<ControlPlane> page, Principal principal, CancellationToken ct)
    {
        var summaries = new ControlPlaneSummary[page.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, page.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct },
            async (i, token) => summaries[i] = await SummarizeAsync(page[i], principal, token));
        return summaries;
    }

    private async Task<ControlPlaneSummary> SummarizeAsync(ControlPlane cp, Principal principal, CancellationToken ct)
    {
        if (Permissions.Missing(principal, ControlPlaneAction.Read, cp.Id.ToString()) is not null)
        {
            return new ControlPlaneSummary(cp, null, null);
        }
        var status = cp.IsGroup
            ? await snapshots.GetGroupStatusAsync(cp.Id, ct) ?? new GroupStatus(GroupStatus.Unknown, [], cp.CreatedAt, cp.CreatedAt)
            : null;
        try
        {
            return new ControlPlaneSummary(cp, await nodes.CountAsync(cp.Id, ct), status);
        }
        catch (NotFoundException)
        {
            // Deleted since the page was read (its snapshot went with it): the rest of the page still stands.
            return new ControlPlaneSummary(cp, null, status);
        }
    }
}
