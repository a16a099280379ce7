using System.Globalization;
using System.Text;
using System.Xml;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Queues;

/// <summary>
/// One queue: at-least-once messages that reappear after their visibility timeout unless deleted.
/// </summary>
public class QueueClient
{
    public const int MaxMessageBytes = 64 * 1024;
    public const int MaxMessagesPerReceive = 32;
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    private static readonly int[] s_createdOrExists = [201, 204];
    private static readonly int[] s_deletedOrMissing = [204, 404];
    private static readonly int[] s_created = [201];
    private static readonly int[] s_ok = [200];
    private static readonly int[] s_noContent = [204];

    private readonly HttpPipeline _pipeline;
    private readonly string _queueUri;
    private readonly string _version;
    private readonly QueueMessageEncoding _encoding;

    internal QueueClient(HttpPipeline pipeline, string serviceUri, string queueName, string version, QueueMessageEncoding encoding)
    {
        _pipeline = pipeline;
        Name = StorageNames.CheckContainerOrQueueName(queueName, nameof(queueName));
        _queueUri = $"{serviceUri}/{queueName}";
        _version = version;
        _encoding = encoding;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected QueueClient()
    {
        _pipeline = null!;
        _queueUri = _version = Name = "";
    }

    public virtual string Name { get; }

    public virtual Uri Uri => new(_queueUri);

    /// <summary>Creates the queue; <c>Value</c> is false when it already existed.</summary>
    public virtual async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, _queueUri, _version);
        var response = await _pipeline.SendExpectingAsync(message, s_createdOrExists, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response.Status == 201, response);
    }

    /// <summary>Deletes the queue and its messages; <c>Value</c> is false when there was none.</summary>
    public virtual async Task<Response<bool>> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, _queueUri, _version);
        var response = await _pipeline.SendExpectingAsync(message, s_deletedOrMissing, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response.Status == 204, response);
    }

    public virtual async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, $"{_queueUri}?comp=metadata", _version);
        var response = await _pipeline.SendExpectingAsync(message, s_ok, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count);
        return Response.FromValue(new QueueProperties(int.TryParse(count, out var n) ? n : 0), response);
    }

    /// <summary>
    /// Sends a message, hidden for <paramref name="visibilityTimeout"/> (0 to 7 days) and kept
    /// for <paramref name="timeToLive"/> (7 days by default; <see cref="Timeout.InfiniteTimeSpan"/> for ever).
    /// </summary>
    public virtual async Task<Response<SendReceipt>> SendMessageAsync(
        string messageText, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        var body = MessageBody(messageText);
        var query = new StringBuilder("/messages");
        var separator = '?';
        if (visibilityTimeout is { } visibility)
        {
            CheckVisibility(visibility, TimeSpan.Zero, nameof(visibilityTimeout));
            query.Append(separator).Append("visibilitytimeout=").Append(Seconds(visibility));
            separator = '&';
        }
        if (timeToLive is { } ttl)
        {
            if (ttl != Timeout.InfiniteTimeSpan && ttl < TimeSpan.FromSeconds(1))
            {
                throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A message lives at least 1 second, or for ever (Timeout.InfiniteTimeSpan).");
            }
            if (visibilityTimeout is { } v && ttl != Timeout.InfiniteTimeSpan && v >= ttl)
            {
                throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), v, "The visibility timeout must be shorter than the time to live.");
            }
            query.Append(separator).Append("messagettl=").Append(ttl == Timeout.InfiniteTimeSpan ? "-1" : Seconds(ttl));
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Post, _queueUri + query, _version);
        message.Request.Headers.Add(HttpHeader.Names.ContentType, "application/xml");
        message.Request.Content = RequestContent.Create(body);
        var response = await _pipeline.SendExpectingAsync(message, s_created, cancellationToken).ConfigureAwait(false);

        var sent = StorageXml.Parse(response).Element("QueueMessage")
            ?? throw new RequestFailedException(response.Status, "The Queue service's answer to a send held no QueueMessage.", null, null);
        return Response.FromValue(
            new SendReceipt(
                sent.Text("MessageId")!,
                sent.Text("PopReceipt")!,
                sent.Date("InsertionTime"),
                sent.Date("ExpirationTime"),
                sent.Date("TimeNextVisible")),
            response);
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1–32) messages, hiding each for
    /// <paramref name="visibilityTimeout"/> (30 s by default). A message not deleted in time is
    /// received again, with its <see cref="QueueMessage.DequeueCount"/> one higher.
    /// </summary>
    public virtual async Task<Response<QueueMessage[]>> ReceiveMessagesAsync(
        int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        if (maxMessages is < 1 or > MaxMessagesPerReceive)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, $"A receive takes 1 to {MaxMessagesPerReceive} messages.");
        }
        var uri = $"{_queueUri}/messages?numofmessages={maxMessages}";
        if (visibilityTimeout is { } visibility)
        {
            CheckVisibility(visibility, TimeSpan.FromSeconds(1), nameof(visibilityTimeout));
            uri += "&visibilitytimeout=" + Seconds(visibility);
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Get, uri, _version);
        var response = await _pipeline.SendExpectingAsync(message, s_ok, cancellationToken).ConfigureAwait(false);
        var messages = StorageXml.Parse(response).Elements("QueueMessage")
            .Select(m => new QueueMessage(
                m.Text("MessageId")!,
                m.Text("PopReceipt")!,
                Decode(m.Text("MessageText") ?? ""),
                long.TryParse(m.Text("DequeueCount"), out var count) ? count : 0,
                m.Date("InsertionTime"),
                m.Date("ExpirationTime"),
                m.Date("TimeNextVisible")))
            .ToArray();
        return Response.FromValue(messages, response);
    }

    /// <summary>Deletes a received message; 404 <see cref="QueueErrorCode.MessageNotFound"/> if the pop receipt is stale.</summary>
    public virtual async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, MessageUri(messageId, popReceipt), _version);
        return await _pipeline.SendExpectingAsync(message, s_noContent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hides a received message for another <paramref name="visibilityTimeout"/> (0 to 7 days),
    /// optionally replacing its text. Use the returned pop receipt from now on.
    /// </summary>
    public virtual async Task<Response<UpdateReceipt>> UpdateMessageAsync(
        string messageId, string popReceipt, TimeSpan visibilityTimeout, string? messageText = null, CancellationToken cancellationToken = default)
    {
        CheckVisibility(visibilityTimeout, TimeSpan.Zero, nameof(visibilityTimeout));
        using var message = _pipeline.CreateMessage(
            RequestMethod.Put, MessageUri(messageId, popReceipt) + "&visibilitytimeout=" + Seconds(visibilityTimeout), _version);
        if (messageText is not null)
        {
            message.Request.Headers.Add(HttpHeader.Names.ContentType, "application/xml");
            message.Request.Content = RequestContent.Create(MessageBody(messageText));
        }
        var response = await _pipeline.SendExpectingAsync(message, s_noContent, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-popreceipt", out var newReceipt);
        response.Headers.TryGetValue("x-ms-time-next-visible", out var nextVisible);
        return Response.FromValue(
            new UpdateReceipt(
                newReceipt ?? throw new RequestFailedException(response.Status, "The Queue service gave no new pop receipt.", null, null),
                DateTimeOffset.Parse(nextVisible ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)),
            response);
    }

    private string MessageUri(string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        return $"{_queueUri}/messages/{Uri.EscapeDataString(messageId)}?popreceipt={Uri.EscapeDataString(popReceipt)}";
    }

    private byte[] MessageBody(string messageText)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var text = _encoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(messageText)) : messageText;
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"The message is {size:N0} bytes as sent ({_encoding} encoding); the limit is {MaxMessageBytes:N0}.", nameof(messageText));
        }

        using var stream = new MemoryStream(size + 96);
        try
        {
            using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = true });
            writer.WriteStartElement("QueueMessage");
            writer.WriteElementString("MessageText", text);
            writer.WriteEndElement();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                "The message holds characters XML cannot carry (control characters or lone surrogates): use Base64 encoding.", nameof(messageText), e);
        }
        return stream.ToArray();
    }

    private string Decode(string text)
    {
        if (_encoding == QueueMessageEncoding.None)
        {
            return text;
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException e)
        {
            throw new FormatException($"A message on queue '{Name}' is not base64 although the client expects Base64 encoding.", e);
        }
    }

    private static void CheckVisibility(TimeSpan value, TimeSpan minimum, string paramName)
    {
        if (value < minimum || value > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"A visibility timeout is {minimum.TotalSeconds:0} s to 7 days.");
        }
    }

    private static string Seconds(TimeSpan value) => ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
