namespace Gatehouse.Sidecar;

/// <summary>Runs the sidecar until the host stops (SIGTERM, Ctrl+C).</summary>
internal sealed class SidecarWorker(SidecarLoop sidecar) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => sidecar.RunAsync(stoppingToken);
}
