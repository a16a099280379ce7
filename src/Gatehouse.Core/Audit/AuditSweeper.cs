namespace Gatehouse.Core.Audit;

/// <summary>
/// Keeps the audit log whole and bounded: lists the changes whose process stopped before it
/// recorded their answer (so none is lost), and removes entries older than the retention.
/// </summary>
public sealed class AuditSweeper(IAuditLog log, AuditSettings settings, TimeProvider clock)
{
    // Per sweep, so a backlog is worked off over several sweeps, not in one.
    private const int PerSweep = 1000;

    public async Task<AuditSweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var begun = await log.ListBegunAsync(now - settings.InterruptedAfter, PerSweep, cancellationToken).ConfigureAwait(false);
        foreach (var entry in begun)
        {
            await log.ResolveAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        var trimmed = await log.TrimAsync(now - settings.Retention, PerSweep, cancellationToken).ConfigureAwait(false);
        return new AuditSweepReport(begun.Count, trimmed);
    }
}

public sealed record AuditSweepReport(int Resolved, int Trimmed);
