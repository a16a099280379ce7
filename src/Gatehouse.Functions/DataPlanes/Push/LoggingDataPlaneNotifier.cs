using System.Diagnostics;
using Gatehouse.Core.DataPlanes.Push;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// The edge around whichever notifier is configured: bounds a send in time and logs its outcome,
/// and a failure goes no further. Push only hurries data planes that also poll; a recomposition
/// whose pointer has moved is done, and must not wait on, or fail with, the hub.
/// </summary>
internal sealed class LoggingDataPlaneNotifier(IDataPlaneNotifier inner, ILogger<LoggingDataPlaneNotifier> logger) : IDataPlaneNotifier
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await inner.NotifyAsync(controlPlane, configHash, timeout.Token).ConfigureAwait(false);
            logger.LogInformation("Notified the data planes of control plane {ControlPlaneId} of config {ConfigHash} in {ElapsedMs} ms",
                controlPlane, configHash, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not notify the data planes of control plane {ControlPlaneId} of config {ConfigHash} after {ElapsedMs} ms; they will find it at their next poll",
                controlPlane, configHash, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
