using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// Runs the audit sweeper locally on a timer (<c>Gatehouse__Audit__SweepSeconds</c>, 10). Each
/// control plane is looked at once per <see cref="AuditSettings.InterruptedAfter"/> whatever the
/// timer, so a shorter period only cuts the looks into smaller bursts: Azurite answers each look by
/// filtering the whole entities table, one request at a time, and a burst of a fifth of 257 control
/// planes (a 60-s period) held a write of <c>group-latency</c> up for about 3 s.
/// </summary>
internal sealed class AuditSweepTimer(AuditSweeper sweeper, IConfiguration configuration, ILogger<AuditSweepTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(configuration.GetValue("Gatehouse:Audit:SweepSeconds", 10));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                Log(logger, await sweeper.SweepAsync(stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Audit sweep failed; it runs again in {Period}", period);
            }
        }
    }

    public static void Log(ILogger logger, AuditSweepReport report)
    {
        if (report.Resolved > 0)
        {
            logger.LogWarning("Listed {Count} audited changes whose process stopped before it recorded their answer as interrupted", report.Resolved);
        }
        if (report.Trimmed > 0)
        {
            logger.LogInformation("Removed {Count} audit rows older than the retention", report.Trimmed);
        }
    }
}
