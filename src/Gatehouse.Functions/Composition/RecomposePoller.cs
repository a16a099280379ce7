using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Gatehouse.Azure.Composition;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Local delivery of recompose messages (on Azure the Functions host delivers them): receives,
/// hands each to <see cref="RecomposeDelivery"/>, deletes. A failure leaves the message to reappear
/// after its visibility timeout; after <see cref="PoisonedMessages.MaxDeliveries"/> failures it is
/// poisoned — deleted, with the reason recorded — and the sweeper will ask again once the cause is gone.
/// </summary>
internal sealed class RecomposePoller(
    QueueRecomposeQueue recomposeQueue, RecomposeDelivery delivery, StorageReadiness readiness, PollerWakeup wakeup,
    IConfiguration configuration, ILogger<RecomposePoller> logger)
    : BackgroundService
{
    private static readonly TimeSpan s_idle = TimeSpan.FromMilliseconds(100);

    private readonly QueueClient _queue = recomposeQueue.Queue;

    // How long a failed message stays hidden before it is tried again.
    private readonly TimeSpan _visibility = TimeSpan.FromSeconds(configuration.GetValue("Gatehouse:Recompose:VisibilitySeconds", 30));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The queue exists once storage is ready.
        await readiness.Ready.WaitAsync(stoppingToken);
        var idle = s_idle;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await _queue.ReceiveMessagesAsync(_queue.MaxPeekableMessages, _visibility, stoppingToken)).Value;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not receive recompose messages; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                continue;
            }

            if (messages.Length == 0)
            {
                await wakeup.WaitAsync(idle, stoppingToken);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
                continue;
            }
            idle = s_idle;

            // Several messages for one control plane coalesce: the first composes, the rest find it up to date.
            foreach (var group in messages.GroupBy(m => m.Body.ToString()))
            {
                await Task.WhenAll(group.Select(m => ProcessAsync(m, stoppingToken)));
            }
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        var outcome = await delivery.DeliverAsync(message.MessageId, message.Body.ToString(), message.DequeueCount, stoppingToken);
        if (outcome == DeliveryOutcome.Failed)
        {
            // Left on the queue: it reappears once its visibility timeout passes.
            return;
        }
        try
        {
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Delivered again later; handling it twice is harmless.
            logger.LogWarning(e, "Could not delete recompose message {MessageId}; it will be delivered again", message.MessageId);
        }
    }
}
