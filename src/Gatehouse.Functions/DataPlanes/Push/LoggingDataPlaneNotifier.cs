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

    public Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken) =>
        SendAsync(controlPlane, configHash, "the data planes", ct => inner.NotifyAsync(controlPlane, configHash, ct), cancellationToken);

    public Task NotifyNodesAsync(Guid controlPlane, IReadOnlyCollection<Guid> nodes, string configHash, CancellationToken cancellationToken) =>
        SendAsync(controlPlane, configHash, $"{nodes.Count} node(s)", ct => inner.NotifyNodesAsync(controlPlane, nodes, configHash, ct), cancellationToken);

    private async Task SendAsync(Guid controlPlane, string configHash, string whom, Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await send(timeout.Token).ConfigureAwait(false);
            logger.LogInformation("Notified {Whom} of control plane {ControlPlaneId} of config {ConfigHash} in {ElapsedMs} ms",
                whom, controlPlane, configHash, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not notify {Whom} of control plane {ControlPlaneId} of config {ConfigHash} after {ElapsedMs} ms; they will find it at their next poll",
                whom, controlPlane, configHash, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
