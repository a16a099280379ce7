using Gatehouse.Azure.Composition;
using Gatehouse.Azure.Queues;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Local delivery of recompose messages (on Azure the Functions host delivers them): receives,
/// handles, deletes. A failure leaves the message to reappear after its visibility timeout; after
/// <see cref="MaxDeliveries"/> failures it is poisoned — deleted, with the reason recorded in the
/// snapshots table — and the sweeper will ask again once the cause is gone.
/// </summary>
internal sealed class RecomposePoller(
    QueueRecomposeQueue recomposeQueue, RecomposeHandler handler, StorageAccount storage, StorageLayout layout,
    StorageReadiness readiness, PollerWakeup wakeup, IRecomposeObserver observer, IConfiguration configuration, ILogger<RecomposePoller> logger)
    : BackgroundService
{
    public const int MaxDeliveries = 5;

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
                messages = (await _queue.ReceiveMessagesAsync(QueueClient.MaxMessagesPerReceive, _visibility, stoppingToken)).Value;
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
            foreach (var group in messages.GroupBy(m => m.MessageText))
            {
                await Task.WhenAll(group.Select(m => ProcessAsync(m, stoppingToken)));
            }
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            observer.Reached(QueueRecomposeQueue.Parse(message.MessageText) ?? Guid.Empty, RecomposeStep.Received);
            await handler.HandleAsync(message.MessageText, message.DequeueCount, stoppingToken);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= MaxDeliveries)
            {
                await PoisonAsync(message, e, stoppingToken);
            }
            else
            {
                logger.LogWarning(e, "Recompose message {MessageId} failed on delivery {DequeueCount}; it will be delivered again",
                    message.MessageId, message.DequeueCount);
            }
        }
    }

    private async Task PoisonAsync(QueueMessage message, Exception cause, CancellationToken stoppingToken)
    {
        logger.LogError(cause, "Recompose message {MessageId} failed {DequeueCount} times; poisoned", message.MessageId, message.DequeueCount);
        try
        {
            await storage.Tables.GetTableClient(layout.SnapshotsTable).UpsertEntityAsync(new TableEntity("poison", message.MessageId)
            {
                ["Message"] = message.MessageText,
                ["DequeueCount"] = message.DequeueCount,
                ["Reason"] = $"{cause.GetType().Name}: {cause.Message}",
                ["PoisonedAt"] = DateTimeOffset.UtcNow,
            }, cancellationToken: stoppingToken);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not record poisoned message {MessageId}; it stays on the queue", message.MessageId);
        }
    }
}
