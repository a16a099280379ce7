namespace Gatehouse.Functions.Audit.Delivery;

/// <summary>Runs webhook delivery locally on a timer (<c>Gatehouse__Audit__DeliverySeconds</c>, 5).</summary>
internal sealed class AuditDeliveryTimer(AuditDeliverer deliverer, IConfiguration configuration, ILogger<AuditDeliveryTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(0.05, configuration.GetValue("Gatehouse:Audit:DeliverySeconds", 5.0)));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await deliverer.DeliverAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Audit delivery failed; it runs again in {Period}", period);
            }
        }
    }
}
