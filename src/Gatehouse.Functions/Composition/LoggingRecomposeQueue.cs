using System.Collections.Concurrent;
using Gatehouse.Azure.Composition;
using Gatehouse.Core.Composition;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Sends recompose requests off the write's path, and never fails the write that asked: the write
/// has committed, and its revision bump is what the sweeper looks for if this message is lost. One
/// message per control plane is in flight at a time; requests made meanwhile are sent as one more
/// once it lands, since a recomposition composes everything committed before it reads.
/// </summary>
internal sealed class LoggingRecomposeQueue(QueueRecomposeQueue queue, PollerWakeup wakeup, ILogger<LoggingRecomposeQueue> logger) : IRecomposeQueue
{
    private const int Sending = 1;
    private const int SendingAndAskedAgain = 2;

    private readonly ConcurrentDictionary<Guid, int> _sending = new();

    public Task EnqueueAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_sending.TryAdd(controlPlane, Sending))
            {
                _ = SendAsync(controlPlane);
                return Task.CompletedTask;
            }
            // A message sent before this commit landed may be read before it: ask for one more.
            if (_sending.TryUpdate(controlPlane, SendingAndAskedAgain, Sending)
                || (_sending.TryGetValue(controlPlane, out var state) && state == SendingAndAskedAgain))
            {
                return Task.CompletedTask;
            }
            // The send in flight finished between the two looks: start one.
        }
    }

    private async Task SendAsync(Guid controlPlane)
    {
        await Task.Yield();
        while (true)
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
            if (_sending.TryRemove(new KeyValuePair<Guid, int>(controlPlane, Sending)))
            {
                return;
            }
            _sending.TryUpdate(controlPlane, Sending, SendingAndAskedAgain);
        }
    }
}
