using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Core.Import;

/// <summary>What an import did (or, for a dry run, would do), and the revision it left the control plane at.</summary>
public sealed record ImportResult(ImportPlan Plan, bool Applied, long Revision, int Commits);

/// <summary>How long an import may go without a commit before a sweeper takes it over (its process is presumed dead).</summary>
public sealed record ImportSettings(TimeSpan StallTimeout)
{
    public static ImportSettings Default { get; } = new(TimeSpan.FromSeconds(30));
}

/// <summary>
/// <c>PUT /declarative-config</c>: makes a control plane's entities exactly a declarative file's,
/// all or nothing from a reader's view.
/// <para>
/// The plan is made against one consistent read, and committed conditionally on the revision that
/// read stood at. Most imports fit one entity-group transaction and are atomic outright. A larger
/// one writes its batches to a journal first, then commits them in order, each commit moving the
/// revision and recording on it how far the import has got. While that marker is on the revision,
/// entity writes are refused and the recomposer does not compose, so no data plane ever sees a
/// half-applied file; the last commit clears it and asks for a recomposition. If the importing
/// process dies, the sweeper finds the marker and finishes the import from the journal: it rolls
/// forward, because the file was valid as a whole and every batch is conditional on the one before.
/// </para>
/// </summary>
public sealed class ConfigImporter(
    IEntityStore store, IEntityReader reader, IControlPlaneStore controlPlanes, IImportJournal journal, ImportPlanner planner,
    IRecomposeQueue recompose, IRecomposeObserver observer, ImportSettings settings, TimeProvider clock)
{
    private const int MaxAttempts = 10;

    public TimeSpan StallTimeout => settings.StallTimeout;

    public async Task<ImportResult> ImportAsync(Guid controlPlane, JsonObject document, bool dryRun, CancellationToken cancellationToken)
    {
        var target = await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        if (target.IsGroup)
        {
            throw new EntityRejectedException(Rejection.ReadOnly,
                "control plane groups are read-only: import declarative config into their member control planes");
        }
        var file = DeclarativeFile.Parse(document);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var revision = await store.GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            RevisionGate.ThrowUnlessWritable(controlPlane, revision);
            var current = await reader.ReadAllAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            if (current.Revision != revision.Number)
            {
                continue;
            }
            var plan = planner.Plan(file, current);
            if (dryRun || plan.Changes.Count == 0)
            {
                return new ImportResult(plan, Applied: false, revision.Number, Commits: 0);
            }

            var batches = ImportBatches.Build(plan.Changes);
            if (batches.Count == 1)
            {
                var commit = await store.CommitAsync(controlPlane, revision, batches[0], cancellationToken).ConfigureAwait(false);
                if (commit.Outcome == CommitOutcome.Committed)
                {
                    await recompose.EnqueueAsync(controlPlane, cancellationToken).ConfigureAwait(false);
                    return new ImportResult(plan, Applied: true, commit.Revision, Commits: 1);
                }
                continue;
            }

            var importId = Guid.NewGuid().ToString("N");
            await journal.WriteAsync(controlPlane, importId, ImportJournalFormat.Write(batches), cancellationToken).ConfigureAwait(false);
            var first = await store.CommitAsync(controlPlane, revision, batches[0], cancellationToken,
                new ImportProgress(importId, 1, batches.Count, clock.GetUtcNow())).ConfigureAwait(false);
            if (first.Outcome != CommitOutcome.Committed)
            {
                await journal.DeleteAsync(controlPlane, importId, cancellationToken).ConfigureAwait(false);
                continue;
            }
            observer.Reached(controlPlane, RecomposeStep.ImportBatchCommitted);
            var finished = await ContinueAsync(controlPlane, importId, batches, cancellationToken).ConfigureAwait(false);
            return new ImportResult(plan, Applied: true, finished, batches.Count);
        }
        throw new EntityRejectedException(Rejection.Conflict, "the control plane is being changed too fast for this import to land; retry");
    }

    /// <summary>
    /// Finishes an import whose process stopped part way (the sweeper calls this for imports
    /// stalled longer than <see cref="StallTimeout"/>). Returns what it did, or null when there was nothing to do.
    /// </summary>
    public async Task<string?> ResumeAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var revision = await store.GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        if (revision.Deleted || revision.Import is not { } import)
        {
            return null;
        }
        if (await journal.ReadAsync(controlPlane, import.Id, cancellationToken).ConfigureAwait(false) is not { } content)
        {
            // Cannot happen unless the journal was removed by hand: the control plane must take writes
            // again, and says in the logs that an import stopped at this batch.
            await store.CommitAsync(controlPlane, revision, [], cancellationToken).ConfigureAwait(false);
            await recompose.EnqueueAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            return $"import {import.Id} stopped at batch {import.NextBatch} of {import.Batches} and its journal is gone: abandoned part way";
        }
        var finished = await ContinueAsync(controlPlane, import.Id, ImportJournalFormat.Read(content), cancellationToken).ConfigureAwait(false);
        return $"import {import.Id} resumed at batch {import.NextBatch} of {import.Batches} and finished at revision {finished}";
    }

    /// <summary>Commits the batches after the one the revision says is next, until the last clears the marker.</summary>
    private async Task<long> ContinueAsync(
        Guid controlPlane, string importId, IReadOnlyList<IReadOnlyList<EntityChange>> batches, CancellationToken cancellationToken)
    {
        // Every round commits a batch or finds one committed by a racing resumer; a bound keeps a defect from spinning.
        for (var round = 0; round < batches.Count * 4 + 20; round++)
        {
            var revision = await store.GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            if (revision.Deleted || revision.Import?.Id != importId)
            {
                // Finished by someone else racing us through the same journal (or the control plane is gone).
                return revision.Number;
            }
            var next = revision.Import.NextBatch;
            var last = next == batches.Count - 1;
            var progress = last ? null : new ImportProgress(importId, next + 1, batches.Count, clock.GetUtcNow());
            var commit = await store.CommitAsync(controlPlane, revision, batches[next], cancellationToken, progress).ConfigureAwait(false);
            switch (commit.Outcome)
            {
                case CommitOutcome.Committed when last:
                    await recompose.EnqueueAsync(controlPlane, cancellationToken).ConfigureAwait(false);
                    await journal.DeleteAsync(controlPlane, importId, cancellationToken).ConfigureAwait(false);
                    return commit.Revision;
                case CommitOutcome.Committed:
                    observer.Reached(controlPlane, RecomposeStep.ImportBatchCommitted);
                    continue;
                case CommitOutcome.Stale:
                    continue;
                default:
                    // Nothing else writes while the marker is on: a batch that cannot land is a defect, not a race.
                    throw new InvalidOperationException(
                        $"Batch {next} of import {importId} into control plane {controlPlane} was refused ({commit.Outcome}, {commit.Field}).");
            }
        }
        throw new InvalidOperationException($"Import {importId} into control plane {controlPlane} made no progress; the sweeper will try again.");
    }
}
