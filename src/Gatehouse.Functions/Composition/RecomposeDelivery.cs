using Gatehouse.Azure.Composition;
using Gatehouse.Core.Composition;

namespace Gatehouse.Functions.Composition;

/// <summary>What became of one delivery of a recompose message.</summary>
internal enum DeliveryOutcome
{
    /// <summary>Handled: the message can go.</summary>
    Handled,

    /// <summary>Failed, with deliveries left: the message stays and comes again.</summary>
    Failed,

    /// <summary>Failed on its last delivery, and the reason is recorded: the message can go.</summary>
    Poisoned,
}

/// <summary>
/// One delivery of a recompose message, the same whoever delivers it — the local poller, or the
/// Azure Functions host's queue trigger: handle it, and when it fails on its last delivery
/// (<see cref="PoisonedMessages.MaxDeliveries"/>) record why. Removing the message is the
/// deliverer's part.
/// </summary>
internal sealed class RecomposeDelivery(
    RecomposeHandler handler, PoisonedMessages poisoned, IRecomposeObserver observer, ILogger<RecomposeDelivery> logger)
{
    public async Task<DeliveryOutcome> DeliverAsync(string messageId, string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        try
        {
            observer.Reached(QueueRecomposeQueue.Parse(messageText) ?? Guid.Empty, RecomposeStep.Received);
            await handler.HandleAsync(messageText, dequeueCount, cancellationToken);
            return DeliveryOutcome.Handled;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (dequeueCount < PoisonedMessages.MaxDeliveries)
            {
                logger.LogWarning(e, "Recompose message {MessageId} failed on delivery {DequeueCount}; it will be delivered again",
                    messageId, dequeueCount);
                return DeliveryOutcome.Failed;
            }

            logger.LogError(e, "Recompose message {MessageId} failed {DequeueCount} times; poisoned", messageId, dequeueCount);
            try
            {
                await poisoned.RecordAsync(messageId, messageText, dequeueCount, e, cancellationToken);
                return DeliveryOutcome.Poisoned;
            }
            catch (Exception recordFailure) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(recordFailure, "Could not record poisoned message {MessageId}", messageId);
                return DeliveryOutcome.Failed;
            }
        }
    }
}
