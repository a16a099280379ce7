using System.Collections.Concurrent;
using Gatehouse.Core.Analytics;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Import;
using Gatehouse.Core.Versions;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Finds control planes whose revision is ahead of their snapshot — a write whose recompose
/// request was lost, or a poisoned message — and asks for them again. The revision row is the
/// outbox: work is owed exactly when it is ahead of the pointer. A group is owed when a member's
/// revision is not the one its pointer names; the sweep then notes the members' revisions with it
/// first (<see cref="ISnapshotStore.NoteMemberRevisionAsync"/>), which a stopped member's worker may
/// not have done. It also finishes imports whose
/// process stopped part way (<see cref="ConfigImporter.ResumeAsync"/>), and trims each control
/// plane's change log to the last <see cref="EntityCacheSettings.ChangeLogKept"/> rows before its snapshot, and
/// deletes the versions and snapshots retention does not keep (<see cref="VersionRetention"/>) and
/// the reported traffic older than its retention (<see cref="AnalyticsRetention"/>).
/// </summary>
public sealed class Sweeper(
    IControlPlaneStore controlPlanes, IEntityStore entities, ISnapshotStore snapshots, IGroupMembershipStore memberships, IRecomposeQueue queue,
    ConfigImporter importer, IEntityChangeReader changeLog, EntityCacheSettings cache, VersionRetention retention, AnalyticsRetention analytics,
    TimeProvider clock)
{
    // Per control plane per sweep, so a backlog is worked off over several sweeps, not in one.
    private const int TrimmedPerSweep = 1000;

    // Each control plane's last retention pass by this sweeper: the pointer's version then, and when.
    private readonly ConcurrentDictionary<Guid, (long? Version, DateTimeOffset At)> _retained = new();

    // Each control plane's change log as this sweeper left it: trimmed through this revision, nothing left over.
    private readonly ConcurrentDictionary<Guid, long> _trimmedThrough = new();

    public async Task<IReadOnlyList<Guid>> SweepAsync(CancellationToken cancellationToken) =>
        (await SweepAndReportAsync(cancellationToken).ConfigureAwait(false)).Owed;

    /// <summary>Sweeps, and says what it did: the control planes owed work, and each stalled import it finished.</summary>
    public async Task<SweepReport> SweepAndReportAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var resumed = new List<string>();
        var owed = new List<Guid>();
        var membership = await memberships.ReadAsync(cancellationToken).ConfigureAwait(false);
        var revisions = new Dictionary<Guid, Revision>();
        async Task<Revision> RevisionOf(Guid id) =>
            revisions.TryGetValue(id, out var known) ? known : revisions[id] = await entities.GetRevisionAsync(id, cancellationToken).ConfigureAwait(false);

        var listed = await controlPlanes.ListAsync(cancellationToken).ConfigureAwait(false);
        var existing = listed.Select(c => c.Id).ToHashSet();
        foreach (var gone in _retained.Keys.Union(_trimmedThrough.Keys).Where(id => !existing.Contains(id)).ToList())
        {
            _retained.TryRemove(gone, out _);
            _trimmedThrough.TryRemove(gone, out _);
        }
        analytics.ForgetAllBut(existing);
        foreach (var controlPlane in listed)
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
                isOwed = pointer?.Source != new SnapshotSource(membership.Sequence, members);
                if (isOwed)
                {
                    // A member whose worker stopped between its pointer and its note would otherwise be taken as unmoved.
                    var noted = await snapshots.ReadMemberRevisionsAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
                    foreach (var (member, revision) in members.Where(m => noted.GetValueOrDefault(m.Key, -1) < m.Value))
                    {
                        await snapshots.NoteMemberRevisionAsync(controlPlane.Id, member, revision, replace: true, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            else
            {
                var revision = await RevisionOf(controlPlane.Id).ConfigureAwait(false);
                if (revision.Import is { } import && clock.GetUtcNow() - import.UpdatedAt > importer.StallTimeout
                    && await importer.ResumeAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false) is { } outcome)
                {
                    // Its last commit asked for the recomposition.
                    resumed.Add(outcome);
                    continue;
                }
                isOwed = !revision.Deleted && revision.Import is null && new SnapshotSource(revision.Number).Follows(pointer?.Source);
                if (pointer?.Source.Revision is { } composed && composed > cache.ChangeLogKept)
                {
                    await TrimAsync(controlPlane.Id, composed - cache.ChangeLogKept, cancellationToken).ConfigureAwait(false);
                }
            }
            // Old versions and the snapshots no one serves any more (issue #14).
            if (RetentionDue(controlPlane.Id, pointer?.VersionNumber, now))
            {
                await retention.SweepAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
                _retained[controlPlane.Id] = (pointer?.VersionNumber, now);
            }
            // Reported traffic older than its retention, when due.
            await analytics.SweepAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
            if (isOwed)
            {
                await queue.EnqueueAsync(controlPlane.Id, cancellationToken).ConfigureAwait(false);
                owed.Add(controlPlane.Id);
            }
        }
        return new SweepReport(owed, resumed);
    }

    /// <summary>
    /// Trims the change log through <paramref name="through"/>, unless this sweeper already left it
    /// trimmed that far: rows up to a composed revision are all written before the pointer names it,
    /// so none appear behind a finished trim, and an idle control plane costs no range query over
    /// its partition each sweep.
    /// </summary>
    private async Task TrimAsync(Guid controlPlane, long through, CancellationToken cancellationToken)
    {
        if (_trimmedThrough.TryGetValue(controlPlane, out var done) && done >= through)
        {
            return;
        }
        if (await changeLog.TrimChangesAsync(controlPlane, through, TrimmedPerSweep, cancellationToken).ConfigureAwait(false) < TrimmedPerSweep)
        {
            _trimmedThrough[controlPlane] = through;
        }
    }

    /// <summary>
    /// Whether retention has anything new to find for the control plane: a version recorded since this
    /// sweeper's last pass over it, or a grace period gone by, in which time alone may have aged a
    /// version, a snapshot or a node's report out. An idle control plane then costs a sweep no
    /// retention pass (five round trips or so) until then: a sweep of many stays short, and so does
    /// what it holds up on a store that serves one request at a time.
    /// </summary>
    private bool RetentionDue(Guid controlPlane, long? version, DateTimeOffset now) =>
        !_retained.TryGetValue(controlPlane, out var last) || last.Version != version || now - last.At >= retention.Settings.Grace;
}

public sealed record SweepReport(IReadOnlyList<Guid> Owed, IReadOnlyList<string> ResumedImports);
