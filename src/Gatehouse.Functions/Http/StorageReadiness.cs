using Gatehouse.Azure.Composition;
using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Core.Access;
using Gatehouse.Core.Analytics;
using Gatehouse.Core.ControlPlanes;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Prepares storage once per process — tables exist, interrupted deletions are finished, the
/// default control plane exists — retrying with backoff while storage is away, so the app starts
/// (and /healthz can say why it is unhealthy) even when storage is not there yet.
/// </summary>
internal sealed class StorageReadiness(
    TableControlPlaneStore store, AzureSnapshotStore snapshots, QueueRecomposeQueue recompose, ControlPlaneService controlPlanes, IIdentityStore identities,
    IAnalyticsStore analytics,
    ILogger<StorageReadiness> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.InitializeAsync(stoppingToken);
                await snapshots.InitializeAsync(stoppingToken);
                await recompose.InitializeAsync(stoppingToken);
                await identities.InitializeAsync(stoppingToken);
                await analytics.InitializeAsync(stoppingToken);
                var finished = await store.CompletePendingDeletionsAsync(stoppingToken);
                if (finished > 0)
                {
                    logger.LogInformation("Finished {Count} control plane deletions a previous process left incomplete", finished);
                }
                var defaultControlPlane = await controlPlanes.EnsureDefaultAsync(stoppingToken);
                logger.LogInformation("Storage is ready; the default control plane is {ControlPlaneId}", defaultControlPlane.Id);
                _ready.TrySetResult();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Storage is not ready yet; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}

/// <summary>Holds management requests until storage is ready, for a few seconds, then answers 503.</summary>
internal sealed class StorageReadinessMiddleware(RequestDelegate next, StorageReadiness readiness)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!readiness.Ready.IsCompleted)
        {
            try
            {
                await readiness.Ready.WaitAsync(s_wait, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                context.Response.Headers.RetryAfter = "5";
                const string detail = "Storage is not ready yet; retry shortly.";
                await ErrorDialect.Of(context).WriteAsync(context, StatusCodes.Status503ServiceUnavailable, detail);
                return;
            }
        }
        await next(context);
    }
}
