using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// The Queue behaviours the recompose workflow relies on, through the official client as
/// <see cref="StorageAccount"/> configures it: plain-text messages, visibility and redelivery.
/// </summary>
public sealed class QueueClientTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<QueueClient> NewQueueAsync()
    {
        var queue = storage.CreateQueueServiceClient().GetQueueClient(storage.UniqueName("q").ToLowerInvariant());
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        return queue;
    }

    [Fact]
    public async Task Create_if_not_exists_is_idempotent()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("kept", Ct);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        Assert.Equal("kept", Assert.Single((await queue.ReceiveMessagesAsync(cancellationToken: Ct)).Value).Body.ToString());
    }

    [Fact]
    public async Task Send_receive_delete_round_trips_text_that_needs_escaping()
    {
        var queue = await NewQueueAsync();
        const string text = "{\"cp\":\"a<b>&c\",\"q\":\"'\\\"\",\"u\":\"é✓🚀\"}";
        var sent = await queue.SendMessageAsync(text, Ct);

        var received = Assert.Single((await queue.ReceiveMessagesAsync(cancellationToken: Ct)).Value);
        Assert.Equal(sent.Value.MessageId, received.MessageId);
        Assert.Equal(text, received.Body.ToString());
        Assert.Equal(1, received.DequeueCount);
        Assert.True(received.NextVisibleOn > DateTimeOffset.UtcNow);

        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, Ct);
        Assert.Equal(0, (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        Assert.Empty((await queue.ReceiveMessagesAsync(cancellationToken: Ct)).Value);
    }

    [Fact]
    public async Task Messages_travel_as_the_plain_text_the_Functions_host_reads_with_messageEncoding_none()
    {
        // On Azure the host's queue trigger, not this client, reads the recompose queue: what is on
        // the wire must be the text itself, not base64 of it, whatever the client would decode.
        var queue = await NewQueueAsync();
        const string text = "{\"control_plane_id\":\"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f\"}";
        await queue.SendMessageAsync(text, Ct);

        var asSent = new StorageAccountOptions();
        asSent.Queues.MessageEncoding = QueueMessageEncoding.None;
        var raw = storage.CreateAccount(asSent).Queues.GetQueueClient(queue.Name);
        Assert.Equal(text, Assert.Single((await raw.PeekMessagesAsync(cancellationToken: Ct)).Value).Body.ToString());
    }

    [Fact]
    public async Task An_undeleted_message_is_redelivered_after_its_visibility_timeout_with_a_higher_dequeue_count()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("work", Ct);

        var first = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(3), cancellationToken: Ct)).Value);
        Assert.Empty((await queue.ReceiveMessagesAsync(cancellationToken: Ct)).Value);

        var second = await ReceiveWithinAsync(queue, TimeSpan.FromSeconds(30));
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);

        // The first receiver's pop receipt no longer deletes: the message belongs to the second.
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt, Ct));
        Assert.Contains(stale.Status, new[] { 400, 404 });
        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt, Ct);
    }

    [Fact]
    public async Task Receive_takes_up_to_the_requested_count_and_the_poller_asks_for_32()
    {
        var queue = await NewQueueAsync();
        Assert.Equal(32, queue.MaxPeekableMessages);
        for (var i = 0; i < 5; i++)
        {
            await queue.SendMessageAsync($"m{i}", Ct);
        }
        Assert.Equal(5, (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        Assert.Equal(3, (await queue.ReceiveMessagesAsync(3, cancellationToken: Ct)).Value.Length);
        Assert.Equal(2, (await queue.ReceiveMessagesAsync(queue.MaxPeekableMessages, cancellationToken: Ct)).Value.Length);
    }

    [Fact]
    public async Task Sending_to_a_missing_queue_is_a_404_QueueNotFound()
    {
        var queue = storage.CreateQueueServiceClient().GetQueueClient(storage.UniqueName("none").ToLowerInvariant());
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x", Ct));
        Assert.Equal(404, e.Status);
        Assert.Equal(QueueErrorCode.QueueNotFound, e.ErrorCode);
    }

    private static async Task<QueueMessage> ReceiveWithinAsync(QueueClient queue, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var messages = (await queue.ReceiveMessagesAsync(cancellationToken: Ct)).Value;
            if (messages.Length > 0)
            {
                return Assert.Single(messages);
            }
            await Task.Delay(200, Ct);
        }
        throw new TimeoutException($"No message on {queue.Name} within {within}.");
    }
}
