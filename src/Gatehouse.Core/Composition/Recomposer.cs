using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Core.Versions;

namespace Gatehouse.Core.Composition;

/// <summary>What a snapshot is composed from: the entities, and the revisions they stood at.</summary>
internal sealed record ComposableState(long Revision, IReadOnlyDictionary<Guid, long>? Members, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities)
{
    /// <summary>An import is half applied (in the control plane, or in a member of the group).</summary>
    public bool Importing { get; init; }

    /// <summary>What changed since the reader's previous read, when it knows (<see cref="EntitySnapshot.Since"/>).</summary>
    public EntityChangesSince? Since { get; init; }

    /// <summary>For a group, what its kept union changed since the source it was composed from before (<see cref="ComposedGroup"/>).</summary>
    public (SnapshotSource? From, IReadOnlyDictionary<string, EntityChangeCounts> Counts)? GroupChanges { get; init; }

    /// <summary>What keeps these entities in memory: the reader's entry, or the group's kept union (<see cref="EntitySnapshot.Holder"/>).</summary>
    public object? Holder { get; init; }
}

public enum RecomposeOutcome
{
    /// <summary>The pointer already stands at what the control plane holds now: nothing to do.</summary>
    UpToDate,

    /// <summary>A new snapshot was written and the pointer moved to it.</summary>
    Composed,

    /// <summary>A group's members conflict: the last good snapshot stays current, and the status lists why.</summary>
    Conflicted,

    /// <summary>The control plane no longer exists.</summary>
    Gone,

    /// <summary>An import is being applied: its last commit asks again, and until then the current snapshot stays.</summary>
    Importing,
}

/// <summary>
/// Turns a control plane's current entities — or a group's members' — into its current snapshot.
/// Idempotent and safe to run twice at once: work already composed is dropped; the snapshot is
/// content-addressed, so writing it again is harmless; the pointer moves only forward, by ETag.
/// A crash at any step leaves either the old pointer (and work owed, which the next delivery
/// or sweep does) or the new one. After a standard control plane is composed, the groups it is
/// in are asked to recompose too. Once the pointer has moved, the target's data planes are
/// notified (each group notifies its own when it is composed in turn).
/// </summary>
public sealed class Recomposer(
    IEntityReader reader, IEntityChangeReader changeLog, ISnapshotStore snapshots, IControlPlaneStore controlPlanes, IGroupMembershipStore memberships,
    IRecomposeQueue queue, IRecomposeObserver observer, IDataPlaneNotifier notifier, TimeProvider clock, RenderedFragments fragments, GroupUnions groups)
{
    private const int MaxAttempts = 5;

    /// <summary>A group's members read at once: enough to hide the round trips of 256 members, few enough to leave the store room for writes.</summary>
    private const int MemberReadsAtOnce = 16;

    // One recomposition per control plane at a time in this process: deliveries for a burst of
    // writes would otherwise compose the same state side by side and race for the pointer. The
    // next in line finds the pointer current, or composes everything that landed meanwhile at once.
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _inFlight = new();

    public async Task<(RecomposeOutcome Outcome, SnapshotPointer? Pointer)> RecomposeAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var turn = _inFlight.GetOrAdd(controlPlane, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RecomposeInTurnAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<(RecomposeOutcome Outcome, SnapshotPointer? Pointer)> RecomposeInTurnAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        // Independent reads, made together: each is a round trip on the way from a write to its snapshot.
        var finding = controlPlanes.FindAsync(controlPlane, cancellationToken);
        var reading = snapshots.GetPointerAsync(controlPlane, cancellationToken);
        await Task.WhenAll(finding, reading).ConfigureAwait(false);
        var target = await finding.ConfigureAwait(false);
        if (target is null)
        {
            return (RecomposeOutcome.Gone, await reading.ConfigureAwait(false));
        }
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var pointer = attempt == 0
                ? await reading.ConfigureAwait(false)
                : await snapshots.GetPointerAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            var (state, conflicts) = target.IsGroup
                ? await ReadGroupAsync(controlPlane, cancellationToken).ConfigureAwait(false)
                : (await ReadOneAsync(controlPlane, cancellationToken).ConfigureAwait(false), []);
            if (state is null)
            {
                return (RecomposeOutcome.Gone, pointer);
            }
            if (state.Importing)
            {
                return (RecomposeOutcome.Importing, pointer);
            }
            var source = new SnapshotSource(state.Revision, state.Members);
            if (!source.Follows(pointer?.Source))
            {
                // Composed from this very state already, or from a newer one.
                return (RecomposeOutcome.UpToDate, pointer);
            }

            if (conflicts.Count > 0)
            {
                // The group keeps serving its last good snapshot; the status says why it is not moving.
                await SetStatusAsync(controlPlane, GroupStatus.Conflict, conflicts, cancellationToken).ConfigureAwait(false);
                return (RecomposeOutcome.Conflicted, pointer);
            }

            var (json, hashes) = DeclarativeConfig.Write(state.Entities, fragments, state.Holder);
            await snapshots.WriteSnapshotAsync(controlPlane, hashes.Config, json, cancellationToken).ConfigureAwait(false);
            observer.Reached(controlPlane, RecomposeStep.SnapshotWritten);
            var now = clock.GetUtcNow();
            var next = new SnapshotPointer(source, hashes, pointer?.CreatedAt ?? now, now) { Plugins = ConfiguredPlugins.NamesIn(state.Entities) };
            var note = await NoteAsync(controlPlane, target.IsGroup, state, pointer, hashes.Config, json, cancellationToken).ConfigureAwait(false);
            if (await snapshots.TryAdvanceAsync(controlPlane, pointer, next, note, cancellationToken).ConfigureAwait(false))
            {
                observer.Reached(controlPlane, RecomposeStep.PointerMoved);
                // The data planes are told while the groups are: neither waits for the other's round trips.
                var notifying = NotifyAsync(controlPlane, next.Hash, cancellationToken);
                try
                {
                    if (target.IsGroup)
                    {
                        await SetStatusAsync(controlPlane, GroupStatus.Ok, [], cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        // Read after the pointer moved: a group joined later is composed from this pointer or a newer one.
                        foreach (var group in (await memberships.ReadAsync(cancellationToken).ConfigureAwait(false)).GroupsOf(controlPlane))
                        {
                            // Noted before the group is asked: its recomposition reads which members moved from these notes.
                            await snapshots.NoteMemberRevisionAsync(group, controlPlane, state.Revision, replace: true, cancellationToken).ConfigureAwait(false);
                            await queue.EnqueueAsync(group, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    await notifying.ConfigureAwait(false);
                }
                return (RecomposeOutcome.Composed, next);
            }
            // Another worker moved the pointer meanwhile; read again (it may already be past us).
        }
        throw new InvalidOperationException($"Could not move the snapshot pointer of control plane {controlPlane} after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// What the version record says beyond the pointer: who made the changes, and how many entities of
    /// each type they added, changed and removed. When the reader brought the entities forward from the
    /// revision the pointer stands at, it knows both; a group's kept union knows the counts when it was
    /// last composed from what the pointer stands at. Otherwise (a read of everything, a union composed
    /// afresh or past a snapshot that was not written) the counts come from the two snapshots and the
    /// makers from the change log.
    /// </summary>
    private async Task<VersionNote> NoteAsync(
        Guid controlPlane, bool isGroup, ComposableState state, SnapshotPointer? pointer, string nextHash, ReadOnlyMemory<byte> next,
        CancellationToken cancellationToken)
    {
        // A group's changes are its members' commits, which name their makers; the group's own names no one.
        var since = !isGroup && state.Since is { } brought && brought.Revision == pointer?.Source.Revision ? brought : null;
        IReadOnlyList<string> makers = isGroup ? []
            : since?.MadeBy ?? await changeLog.ReadMakersAsync(controlPlane, pointer?.Source.Revision ?? 0, state.Revision, cancellationToken).ConfigureAwait(false);
        var unionCounts = state.GroupChanges is { } union && Equals(union.From, pointer?.Source) ? union.Counts : null;
        var counts = pointer?.Hash == nextHash ? VersionNote.Unknown.Changes
            : since?.Counts ?? unionCounts ?? await ChangesSinceAsync(controlPlane, pointer, next, cancellationToken).ConfigureAwait(false);
        return new VersionNote(VersionNote.PrincipalOf(makers), counts);
    }

    /// <summary>
    /// The counts from the new snapshot against the one the pointer names now (a different one).
    /// Empty when the current one cannot be read.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, EntityChangeCounts>> ChangesSinceAsync(
        Guid controlPlane, SnapshotPointer? pointer, ReadOnlyMemory<byte> next, CancellationToken cancellationToken)
    {
        JsonObject? previous = null;
        if (pointer is not null)
        {
            if (await snapshots.ReadSnapshotAsync(controlPlane, pointer.Hash, cancellationToken).ConfigureAwait(false) is not { } content)
            {
                return VersionNote.Unknown.Changes;
            }
            previous = JsonNode.Parse(content.Span)!.AsObject();
        }
        return VersionChanges.Between(previous, JsonNode.Parse(next.Span)!.AsObject());
    }

    /// <summary>
    /// Push is an accelerator: sidecars poll too, so a failed notification costs them at most a poll
    /// interval. It must not fail the recomposition, whose work (the pointer) is already done and
    /// durable; a retried message would find it up to date and notify nobody anyway. The edge's
    /// notifier logs its failures; this catch only keeps a notifier that throws from undoing that.
    /// (A crash between the pointer move and this call likewise leaves the sidecars to their poll.)
    /// </summary>
    private async Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken)
    {
        try
        {
            await notifier.NotifyAsync(controlPlane, configHash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            observer.Reached(controlPlane, RecomposeStep.NotifyFailed);
        }
    }

    private async Task<ComposableState?> ReadOneAsync(
        Guid controlPlane, CancellationToken cancellationToken)
    {
        var state = await reader.ReadAllAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return state.Deleted ? null : new ComposableState(state.Revision, null, state.Entities) { Importing = state.Importing, Since = state.Since, Holder = state.Holder };
    }

    /// <summary>
    /// The group's members as they stand: each read consistently, the union composed, every conflict
    /// listed; from the group's kept union, so only the members that moved cost anything. Which moved
    /// is read off the revisions their recompositions noted with the group, in one read: a member
    /// noted at the revision the union holds it at is taken as held, the rest are read (each a round
    /// trip even when it has not moved, so side by side). A note that never landed (a worker stopped
    /// between a member's pointer and its note) is made by the sweep, which finds the group behind.
    /// </summary>
    private async Task<(ComposableState? State, IReadOnlyList<GroupConflict> Conflicts)> ReadGroupAsync(
        Guid group, CancellationToken cancellationToken)
    {
        var membership = await memberships.ReadAsync(cancellationToken).ConfigureAwait(false);
        var ids = membership.MembersOf(group);
        var kept = groups.KeptMembers(group, membership.Sequence);
        var noted = await snapshots.ReadMemberRevisionsAsync(group, cancellationToken).ConfigureAwait(false);
        var read = new (GroupMemberState? State, bool Importing)[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = MemberReadsAtOnce, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                if (kept.TryGetValue(ids[i], out var held) && noted.TryGetValue(ids[i], out var revision) && held.Revision == revision)
                {
                    read[i] = (held, false);
                    return;
                }
                var state = await reader.ReadAllAsync(ids[i], ct).ConfigureAwait(false);
                read[i] = state.Deleted ? (null, false) : (new GroupMemberState(ids[i], state.Revision, state.Entities), state.Importing);
            }).ConfigureAwait(false);
        var members = read.Where(r => r.State is not null).Select(r => r.State!).ToList();
        var revisions = members.ToDictionary(m => m.Member, m => m.Revision!.Value);
        // A member never noted (it joined with its entities, or was written before this was noted) is noted as read, once.
        await Parallel.ForEachAsync(members.Where(m => !noted.ContainsKey(m.Member)),
            new ParallelOptions { MaxDegreeOfParallelism = MemberReadsAtOnce, CancellationToken = cancellationToken },
            async (m, ct) => await snapshots.NoteMemberRevisionAsync(group, m.Member, m.Revision!.Value, replace: false, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var composed = groups.Compose(group, new SnapshotSource(membership.Sequence, revisions), members);
        return (new ComposableState(membership.Sequence, revisions, composed.Entities)
        {
            Importing = read.Any(r => r.Importing),
            GroupChanges = (composed.ChangesSince, composed.Changes),
            Holder = composed.Holder,
        }, composed.Conflicts);
    }

    private async Task SetStatusAsync(Guid group, string state, IReadOnlyList<GroupConflict> conflicts, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var previous = await snapshots.GetGroupStatusAsync(group, cancellationToken).ConfigureAwait(false);
        await snapshots.SetGroupStatusAsync(group, new GroupStatus(state, conflicts, previous?.CreatedAt ?? now, now), cancellationToken).ConfigureAwait(false);
    }
}
