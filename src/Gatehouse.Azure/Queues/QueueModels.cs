namespace Gatehouse.Azure.Queues;

/// <summary>A message as received: hidden from other receivers until <see cref="NextVisibleOn"/>.</summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    string MessageText,
    long DequeueCount,
    DateTimeOffset? InsertedOn,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset? NextVisibleOn);

/// <summary>What the service answers when a message is sent.</summary>
public sealed record SendReceipt(
    string MessageId,
    string PopReceipt,
    DateTimeOffset? InsertionTime,
    DateTimeOffset? ExpirationTime,
    DateTimeOffset? TimeNextVisible);

/// <summary>The new pop receipt after a message's visibility changed: the old one no longer works.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);

/// <summary>The queue's approximate length (the service counts lazily).</summary>
public sealed record QueueProperties(int ApproximateMessagesCount);

/// <summary>The Queue service error codes Gatehouse acts on (<c>RequestFailedException.ErrorCode</c>).</summary>
public static class QueueErrorCode
{
    public const string QueueNotFound = "QueueNotFound";
    public const string QueueAlreadyExists = "QueueAlreadyExists";
    public const string QueueBeingDeleted = "QueueBeingDeleted";
    public const string MessageNotFound = "MessageNotFound";

    /// <summary>The pop receipt is stale: the message was received again or updated since.</summary>
    public const string PopReceiptMismatch = "PopReceiptMismatch";
}
