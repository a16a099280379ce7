namespace Gatehouse.Core.Composition;

public enum RecomposeOutcome
{
    /// <summary>The pointer already stands at (or past) the control plane's revision: nothing to do.</summary>
    UpToDate,

    /// <summary>A new snapshot was written and the pointer moved to it.</summary>
    Composed,

    /// <summary>The control plane no longer exists.</summary>
    Gone,
}

/// <summary>
/// Turns a control plane's current entities into its current snapshot. Idempotent and safe to
/// run twice at once: a message for a revision already composed is dropped; the snapshot is
/// content-addressed, so writing it again is harmless; the pointer moves only forward, by ETag.
/// A crash at any step leaves either the old pointer (and work owed, which the next delivery
/// or sweep does) or the new one.
/// </summary>
public sealed class Recomposer(IEntityReader reader, ISnapshotStore snapshots, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public async Task<(RecomposeOutcome Outcome, SnapshotPointer? Pointer)> RecomposeAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var pointer = await snapshots.GetPointerAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            var state = await reader.ReadAllAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            if (state.Deleted)
            {
                return (RecomposeOutcome.Gone, pointer);
            }
            if (pointer is not null && pointer.Revision >= state.Revision)
            {
                return (RecomposeOutcome.UpToDate, pointer);
            }

            var (json, hashes) = DeclarativeConfig.Write(state.Entities);
            await snapshots.WriteSnapshotAsync(controlPlane, hashes.Config, json, cancellationToken).ConfigureAwait(false);

            var now = clock.GetUtcNow();
            var next = new SnapshotPointer(state.Revision, hashes, pointer?.CreatedAt ?? now, now);
            if (await snapshots.TryAdvanceAsync(controlPlane, pointer, next, cancellationToken).ConfigureAwait(false))
            {
                return (RecomposeOutcome.Composed, next);
            }
            // Another worker moved the pointer meanwhile; read again (it may already be past us).
        }
        throw new InvalidOperationException($"Could not move the snapshot pointer of control plane {controlPlane} after {MaxAttempts} attempts.");
    }
}
