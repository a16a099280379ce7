using Gatehouse.Core.ControlPlanes;

namespace Gatehouse.Core.Audit;

/// <summary>
/// Keeps the audit log whole and bounded: lists the changes whose process stopped before it
/// recorded their answer (so none is lost) — those begun in the log's outbox, and those kept in a
/// control plane's commits — and removes entries older than the retention.
/// </summary>
public sealed class AuditSweeper(IAuditLog log, IChangeAuditOutbox kept, IControlPlaneStore controlPlanes, AuditSettings settings, TimeProvider clock)
{
    // Per sweep, so a backlog is worked off over several sweeps, not in one.
    private const int PerSweep = 1000;

    public async Task<AuditSweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stoppedBefore = now - settings.InterruptedAfter;
        var begun = await log.ListBegunAsync(stoppedBefore, PerSweep, cancellationToken).ConfigureAwait(false);
        foreach (var entry in begun)
        {
            await log.ResolveAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        var resolved = begun.Count;
        foreach (var controlPlane in await controlPlanes.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (controlPlane.IsGroup)
            {
                continue;
            }
            foreach (var entry in await kept.ListKeptAsync(controlPlane.Id, stoppedBefore, PerSweep, cancellationToken).ConfigureAwait(false))
            {
                // The commit landed, so the change did; only its answer is not known.
                await log.ResolveAsync(entry, cancellationToken).ConfigureAwait(false);
                await kept.ForgetKeptAsync(controlPlane.Id, entry.Id, cancellationToken).ConfigureAwait(false);
                resolved++;
            }
        }
        var trimmed = await log.TrimAsync(now - settings.Retention, PerSweep, cancellationToken).ConfigureAwait(false);
        return new AuditSweepReport(resolved, trimmed);
    }
}

public sealed record AuditSweepReport(int Resolved, int Trimmed);
