using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Entities;

/// <summary>
/// How Admin API requests meet a control plane's revision. A write reads the revision first and
/// commits only if it has not moved, retrying on fresh reads, so concurrent writers never lose an
/// update or create a duplicate; it lands only on a control plane that exists, takes writes (is
/// not a group) and has no import being applied. A read waits until no import is half applied.
/// </summary>
internal sealed class RevisionGate(IEntityStore store, IControlPlaneStore controlPlanes, IRecomposeQueue recompose)
{
    // Writers in this process take turns per control plane; these attempts are for writers in
    // other processes (scaled-out instances), with exponential backoff and jitter between them.
    private const int MaxAttempts = 30;
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromMilliseconds(250);

    // Imports commit their batches back to back: a few seconds even for tens of thousands of entities.
    private static readonly TimeSpan s_importWait = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _writeTurns = new();

    // A control plane's cluster type never changes, so whether it is a group can be remembered.
    private readonly ConcurrentDictionary<Guid, bool> _isGroup = new();

    /// <summary>
    /// Runs one read-validate-commit round, again on fresh reads while others commit first. The
    /// revision is known (read, or seen by this instance) before <paramref name="attempt"/> reads
    /// anything, so a commit conditional on it proves every read that followed was current. An attempt with no changes commits nothing.
    /// </summary>
    public Task<T> WriteAsync<T>(
        Guid controlPlane, Func<Task<(T Result, IReadOnlyList<EntityChange> Changes)>> attempt, CancellationToken cancellationToken) =>
        WriteAsync(controlPlane, _ => attempt(), cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Guid, Func{Task{ValueTuple{T, IReadOnlyList{EntityChange}}}}, CancellationToken)"/>, with each
    /// round told whether its unique values and its parents' existence may be left to the commit:
    /// they may until a commit finds one broken, and then the next round reads them, to say so exactly.
    /// </summary>
    public async Task<T> WriteAsync<T>(
        Guid controlPlane, Func<WriteRound, Task<(T Result, IReadOnlyList<EntityChange> Changes)>> attempt, CancellationToken cancellationToken)
    {
        var (result, committed) = await CommitInTurnAsync(controlPlane, attempt, cancellationToken).ConfigureAwait(false);
        if (committed)
        {
            // The revision bump is the durable record of owed work; this only makes it prompt. Sent
            // after the turn: the next writer need not wait for it.
            await recompose.EnqueueAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>The rounds of <see cref="WriteAsync{T}(Guid, Func{WriteRound, Task{ValueTuple{T, IReadOnlyList{EntityChange}}}}, CancellationToken)"/>, in this process's turn for the control plane; whether a commit landed.</summary>
    private async Task<(T Result, bool Committed)> CommitInTurnAsync<T>(
        Guid controlPlane, Func<WriteRound, Task<(T Result, IReadOnlyList<EntityChange> Changes)>> attempt, CancellationToken cancellationToken)
    {
        var turn = _writeTurns.GetOrAdd(controlPlane, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The first round may start from this instance's last sighting of the revision, which
            // is current unless another instance wrote since: then the commit fails as stale, and
            // the next round reads afresh at once (that stale is ours, not a race to back off from).
            var seen = SeenWritableRevision(controlPlane);
            // A unique index row is added in the commit, which fails if the value is taken, and a
            // parent's existence is asserted there: the commit checks both without a read of its own,
            // until it has found one broken; then a round reads them, to say exactly what is wrong.
            var byCommit = true;
            for (var i = 0; i < MaxAttempts; i++)
            {
                var fromSighting = i == 0 && seen is not null;
                var revision = fromSighting ? seen! : await WritableRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
                var (result, changes) = await attempt(new WriteRound(byCommit)).ConfigureAwait(false);
                if (changes.Count == 0)
                {
                    return (result, false);
                }
                var commit = await store.CommitAsync(controlPlane, revision, changes, cancellationToken).ConfigureAwait(false);
                switch (commit.Outcome)
                {
                    case CommitOutcome.Committed:
                        return (result, true);
                    case CommitOutcome.IdTaken:
                        throw new EntityRejectedException(Rejection.Conflict, "an entity with this id already exists", [new FieldError("id", "already exists")]);
                }
                if (commit.Outcome is CommitOutcome.UniqueViolation or CommitOutcome.MissingReference && byCommit)
                {
                    // Not a race to back off from: the next round reads what the commit found, and says so.
                    byCommit = false;
                    continue;
                }
                if (fromSighting)
                {
                    continue;
                }
                // Stale, or a unique value taken in between: another instance wrote first. Back off and read again.
                var backoff = Math.Min(s_maxBackoff.TotalMilliseconds, Math.Pow(2, i));
                await Task.Delay(TimeSpan.FromMilliseconds(backoff * (0.5 + Random.Shared.NextDouble())), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            turn.Release();
        }
        throw new EntityRejectedException(Rejection.Conflict, "the control plane is being changed too fast for this write to land; retry");
    }

    /// <summary>
    /// A read that sees no import half applied: it runs between two reads of the revision that show
    /// no import's marker and at most one commit (a single commit is atomic; an import spans several).
    /// While an import is being applied, reads wait for it, up to <see cref="s_importWait"/>.
    /// </summary>
    public async Task<T> SettledReadAsync<T>(Guid controlPlane, Func<Task<T>> read, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + s_importWait;
        while (true)
        {
            var before = await store.GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            if (before.Import is null)
            {
                var result = await read().ConfigureAwait(false);
                var after = await store.GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
                if (after.Import is null && after.Number - before.Number <= 1)
                {
                    return result;
                }
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new EntityRejectedException(Rejection.Unavailable,
                    "an import of declarative config is being applied and has not finished; retry shortly");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// This instance's last sighting of the revision, when that sighting showed a control plane
    /// known here to take writes (it exists, is no group, no import is half applied); else null.
    /// </summary>
    private Revision? SeenWritableRevision(Guid controlPlane) =>
        store.LastSeenRevision(controlPlane) is { Token: not null, Deleted: false, Import: null } seen
            && _isGroup.TryGetValue(controlPlane, out var isGroup) && !isGroup
            ? seen
            : null;

    /// <summary>The revision to commit against, once the control plane is known to exist and take writes.</summary>
    private async Task<Revision> WritableRevisionAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var revision = await store.GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        ThrowUnlessWritable(controlPlane, revision);
        if (revision.Token is null || !_isGroup.TryGetValue(controlPlane, out var isGroup))
        {
            // Never written (or not yet seen here): the control plane row is the only proof it exists.
            isGroup = (await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false)).IsGroup;
            _isGroup[controlPlane] = isGroup;
        }
        if (isGroup)
        {
            throw new EntityRejectedException(Rejection.ReadOnly,
                "control plane groups are read-only: write entities to their member control planes");
        }
        return revision;
    }

    /// <summary>Writes, an import's included, land only where the control plane is not deleted and no import is being applied.</summary>
    public static void ThrowUnlessWritable(Guid controlPlane, Revision revision)
    {
        if (revision.Deleted)
        {
            throw ExistingControlPlane.NotFound(controlPlane);
        }
        if (revision.Import is { } import)
        {
            throw new EntityRejectedException(Rejection.Conflict,
                $"an import of declarative config is being applied (batch {import.NextBatch} of {import.Batches}); retry when it has finished");
        }
    }
}

/// <summary>
/// What one round of <see cref="RevisionGate.WriteAsync{T}(Guid, Func{WriteRound, Task{ValueTuple{T, IReadOnlyList{EntityChange}}}}, CancellationToken)"/>
/// may leave to the commit. <paramref name="ByCommit"/>: the commit refuses a unique value that is
/// taken (its index row is added) and a parent that is missing (<see cref="EntityChange.Exists"/>),
/// so the round need not read them before.
/// </summary>
internal readonly record struct WriteRound(bool ByCommit)
{
    /// <summary>The parents this round leaves the commit to assert: all that no check of the schema reads.</summary>
    public IEnumerable<EntityChange> Assertions(EntitySchema schema, JsonObject entity) =>
        ByCommit && !schema.ChecksParents
            ? EntityIndexes.References(schema, entity).Select(r => (EntityChange)new EntityChange.Exists(KongSchemas.Find(r.Field.Reference!)!, r.ParentId)).Distinct()
            : [];
}
