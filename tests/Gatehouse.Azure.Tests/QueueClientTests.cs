using Azure;
using Gatehouse.Azure.Queues;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

public sealed class QueueClientTests(StorageFixture storage)
{
    private async Task<QueueClient> NewQueueAsync(QueueMessageEncoding encoding = QueueMessageEncoding.None)
    {
        var queue = storage.CreateQueueServiceClient(new QueueClientOptions { MessageEncoding = encoding })
            .GetQueueClient(storage.UniqueName("q").ToLowerInvariant());
        Assert.True((await queue.CreateIfNotExistsAsync(TestContext.Current.CancellationToken)).Value);
        return queue;
    }

    [Fact]
    public async Task Create_if_not_exists_is_idempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = storage.CreateQueueServiceClient();
        var queue = service.GetQueueClient(storage.UniqueName("q").ToLowerInvariant());
        Assert.True((await queue.CreateIfNotExistsAsync(ct)).Value);
        Assert.False((await queue.CreateIfNotExistsAsync(ct)).Value);
        Assert.Contains(queue.Name, await service.GetQueuesAsync(queue.Name, ct).ToListAsync(ct));
        Assert.True((await queue.DeleteIfExistsAsync(ct)).Value);
        Assert.False((await queue.DeleteIfExistsAsync(ct)).Value);
    }

    [Fact]
    public async Task Send_receive_delete_round_trips_text_that_needs_escaping()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = await NewQueueAsync();
        const string text = "{\"cp\":\"a<b>&c\",\"q\":\"'\\\"\",\"u\":\"é✓🚀\"}";
        var sent = await queue.SendMessageAsync(text, cancellationToken: ct);

        var received = Assert.Single((await queue.ReceiveMessagesAsync(cancellationToken: ct)).Value);
        Assert.Equal(sent.Value.MessageId, received.MessageId);
        Assert.Equal(text, received.MessageText);
        Assert.Equal(1, received.DequeueCount);
        Assert.True(received.NextVisibleOn > DateTimeOffset.UtcNow);

        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, ct);
        Assert.Equal(0, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
        Assert.Empty((await queue.ReceiveMessagesAsync(cancellationToken: ct)).Value);
    }

    [Fact]
    public async Task A_message_sent_with_a_visibility_delay_appears_only_after_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = await NewQueueAsync();
        // Long enough that a loaded CI machine cannot make the first receive late.
        var sent = await queue.SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(5), cancellationToken: ct);
        Assert.True(sent.Value.TimeNextVisible > sent.Value.InsertionTime);

        Assert.Empty((await queue.ReceiveMessagesAsync(cancellationToken: ct)).Value);
        var message = await ReceiveWithinAsync(queue, TimeSpan.FromSeconds(30), ct);
        Assert.Equal("later", message.MessageText);
    }

    [Fact]
    public async Task An_undeleted_message_is_redelivered_after_its_visibility_timeout_with_a_higher_dequeue_count()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("work", cancellationToken: ct);

        var first = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(3), cancellationToken: ct)).Value);
        Assert.Empty((await queue.ReceiveMessagesAsync(cancellationToken: ct)).Value);

        var second = await ReceiveWithinAsync(queue, TimeSpan.FromSeconds(30), ct);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);

        // The first receiver's pop receipt no longer deletes: the message belongs to the second.
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt, ct));
        Assert.Contains(stale.Status, new[] { 400, 404 });
        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt, ct);
    }

    [Fact]
    public async Task Update_visibility_hides_longer_or_releases_at_once_and_can_replace_the_text()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("v1", cancellationToken: ct);
        var received = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(5), cancellationToken: ct)).Value);

        var updated = await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero, "v2", ct);
        Assert.NotEqual(received.PopReceipt, updated.Value.PopReceipt);

        var again = Assert.Single((await queue.ReceiveMessagesAsync(cancellationToken: ct)).Value);
        Assert.Equal("v2", again.MessageText);
        Assert.Equal(received.MessageId, again.MessageId);
    }

    [Fact]
    public async Task Receive_takes_up_to_the_requested_count()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = await NewQueueAsync();
        for (var i = 0; i < 5; i++)
        {
            await queue.SendMessageAsync($"m{i}", cancellationToken: ct);
        }
        Assert.Equal(5, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
        Assert.Equal(3, (await queue.ReceiveMessagesAsync(3, cancellationToken: ct)).Value.Length);
        Assert.Equal(2, (await queue.ReceiveMessagesAsync(32, cancellationToken: ct)).Value.Length);
    }

    [Fact]
    public async Task Base64_encoding_is_what_travels_and_is_undone_on_receive()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = await NewQueueAsync(QueueMessageEncoding.Base64);
        await queue.SendMessageAsync("{\"control_plane_id\":\"x\"}\u0001", cancellationToken: ct);

        var raw = storage.CreateQueueServiceClient().GetQueueClient(queue.Name);
        var seenRaw = Assert.Single((await raw.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1), cancellationToken: ct)).Value);
        Assert.Equal(Convert.ToBase64String("{\"control_plane_id\":\"x\"}\u0001"u8.ToArray()), seenRaw.MessageText);

        var decoded = await ReceiveWithinAsync(queue, TimeSpan.FromSeconds(30), ct);
        Assert.Equal("{\"control_plane_id\":\"x\"}\u0001", decoded.MessageText);
    }

    [Fact]
    public async Task Bad_messages_and_arguments_are_refused_before_any_request()
    {
        var queue = storage.CreateQueueServiceClient().GetQueueClient("never-created");
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('x', QueueClient.MaxMessageBytes + 1), cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync("bell\u0007", cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromDays(8), cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1), ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(0, cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(33, cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(1, TimeSpan.Zero, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.DeleteMessageAsync("", "receipt", ct));
        Assert.Throws<ArgumentException>(() => storage.CreateQueueServiceClient().GetQueueClient("Bad_Name"));

        // 48 KiB of text is 64 KiB in base64: the limit applies to what is sent.
        var base64 = storage.CreateQueueServiceClient(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient("never-created");
        await Assert.ThrowsAsync<ArgumentException>(() => base64.SendMessageAsync(new string('x', (48 * 1024) + 1), cancellationToken: ct));
    }

    [Fact]
    public async Task Sending_to_a_missing_queue_is_a_404_QueueNotFound()
    {
        var queue = storage.CreateQueueServiceClient().GetQueueClient(storage.UniqueName("none").ToLowerInvariant());
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(404, e.Status);
        Assert.Equal(QueueErrorCode.QueueNotFound, e.ErrorCode);
    }

    private static async Task<QueueMessage> ReceiveWithinAsync(QueueClient queue, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var messages = (await queue.ReceiveMessagesAsync(cancellationToken: ct)).Value;
            if (messages.Length > 0)
            {
                return Assert.Single(messages);
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"No message on {queue.Name} within {within}.");
    }
}
