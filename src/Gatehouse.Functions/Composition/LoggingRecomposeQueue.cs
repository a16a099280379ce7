using Gatehouse.Azure.Composition;
using Gatehouse.Core.Composition;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Sends recompose requests without ever failing the write that asked: the write has committed,
/// and its revision bump is what the sweeper looks for if this message is lost.
/// </summary>
internal sealed class LoggingRecomposeQueue(QueueRecomposeQueue queue, PollerWakeup wakeup, ILogger<LoggingRecomposeQueue> logger) : IRecomposeQueue
{
    public async Task EnqueueAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnqueueAsync(controlPlane, CancellationToken.None);
            wakeup.Pulse();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not ask for control plane {ControlPlaneId} to be recomposed; the sweeper will", controlPlane);
        }
    }
}
