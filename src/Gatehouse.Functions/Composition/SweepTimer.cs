using Gatehouse.Core.Composition;

namespace Gatehouse.Functions.Composition;

/// <summary>Runs the sweeper locally on a timer (on Azure, the Functions host's timer trigger does).</summary>
internal sealed class SweepTimer(Sweeper sweeper, IConfiguration configuration, ILogger<SweepTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(configuration.GetValue("Gatehouse:Recompose:SweepSeconds", 30));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                SweepLog.Write(logger, await sweeper.SweepAndReportAsync(stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sweep failed; it runs again in {Period}", period);
            }
        }
    }
}
