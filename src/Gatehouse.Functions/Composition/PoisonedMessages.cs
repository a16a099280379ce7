using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// The record of recompose messages that failed on every delivery: one row each in the snapshots
/// table (partition <see cref="PartitionKey"/>, keyed by message id) with the message and the reason.
/// The sweeper asks again for the control plane once the cause is gone; the row says what went wrong.
/// </summary>
internal sealed class PoisonedMessages(StorageAccount storage, StorageLayout layout)
{
    public const string PartitionKey = "poison";

    /// <summary>
    /// Deliveries a message gets before it is poisoned. The Functions host's queue trigger
    /// (host.json <c>extensions.queues.maxDequeueCount</c>) uses the same number.
    /// </summary>
    public const int MaxDeliveries = 5;

    private readonly TableClient _table = storage.Tables.GetTableClient(layout.SnapshotsTable);

    public async Task RecordAsync(string messageId, string messageText, long dequeueCount, Exception cause, CancellationToken cancellationToken) =>
        await _table.UpsertEntityAsync(new TableEntity(PartitionKey, TableKey.Escape(messageId))
        {
            ["Message"] = messageText,
            ["DequeueCount"] = dequeueCount,
            ["Reason"] = $"{cause.GetType().Name}: {cause.Message}",
            ["PoisonedAt"] = DateTimeOffset.UtcNow,
        }, cancellationToken: cancellationToken);
}
