using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Gatehouse.Sidecar.Hub;

/// <summary>How one connection ended, when it ended without an error: <paramref name="StayAway"/> when the server closed with <c>allowReconnect</c> false (come back, but not soon).</summary>
internal sealed record ConnectionEnd(bool StayAway);

/// <summary>
/// One WebSocket connection to a hub, from connect to its end: the JSON protocol handshake, then
/// reading (pushes go to <c>dispatch</c>; <c>null</c> stands for "connected") while pinging the
/// server every keep-alive interval. Listen-only: after the handshake nothing but pings is sent.
/// </summary>
internal sealed class HubConnection(HubListenerOptions options, ILogger logger, NegotiatedConnection target, ChannelWriter<ConfigUpdated?> dispatch)
{
    private static readonly byte[] s_handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] s_ping = "{\"type\":6}\u001e"u8.ToArray();

    private long? _handshakenAt;

    /// <summary>Told true once the handshake succeeded, false when the connection ends.</summary>
    public Action<bool>? OnConnectedChanged { get; init; }

    /// <summary>How long the connection was up after its handshake (zero when it never got there); known once <see cref="RunAsync"/> ended, however it ended.</summary>
    public TimeSpan ConnectedFor { get; private set; }

    /// <summary>Runs the connection until it ends (returned) or fails (thrown); cancellation ends it quietly.</summary>
    public async Task<ConnectionEnd> RunAsync(HttpMessageInvoker http, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        // Both ways, as the server's token authentication reads either; the query is what survives proxies.
        socket.Options.SetRequestHeader("Authorization", "Bearer " + target.AccessToken);
        try
        {
            using (var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                step.CancelAfter(options.HandshakeTimeout);
                await socket.ConnectAsync(target.WebSocketUrl, http, step.Token).ConfigureAwait(false);
                await socket.SendAsync(s_handshake, WebSocketMessageType.Text, endOfMessage: true, step.Token).ConfigureAwait(false);
                var framer = new RecordSeparatorFramer(options.MaxMessageBytes);
                var buffer = new byte[16 * 1024];
                var reply = await ReadMessageAsync(socket, framer, buffer, step.Token).ConfigureAwait(false)
                    ?? throw new HubProtocolException("The server closed the connection before answering the handshake.");
                HandshakeReply.Check(reply);
                _handshakenAt = Stopwatch.GetTimestamp();
                OnConnectedChanged?.Invoke(true);
                logger.LogInformation("Connected to the hub at {HubHost}", target.HubHost);
                await dispatch.WriteAsync(null, cancellationToken).ConfigureAwait(false);
                return await ListenAsync(socket, framer, buffer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new ConnectionEnd(StayAway: false);
        }
        catch (OperationCanceledException e) when (_handshakenAt is null)
        {
            throw new TimeoutException($"No handshaken connection within {options.HandshakeTimeout.TotalSeconds:0.###} s.", e);
        }
        finally
        {
            ConnectedFor = _handshakenAt is { } at ? Stopwatch.GetElapsedTime(at) : TimeSpan.Zero;
            OnConnectedChanged?.Invoke(false);
            await CloseAsync(socket).ConfigureAwait(false);
        }
    }

    private async Task<ConnectionEnd> ListenAsync(ClientWebSocket socket, RecordSeparatorFramer framer, byte[] buffer, CancellationToken cancellationToken)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pinger = PingAsync(socket, connection);
        try
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(connection.Token);
            silence.CancelAfter(options.ServerTimeout);
            while (true)
            {
                // Messages that came with the previous read (with the handshake reply, or several in a frame) first.
                while (framer.TryRead(out var message))
                {
                    if (Handle(HubMessageParser.Parse(message)) is { } end)
                    {
                        return end;
                    }
                }
                WebSocketReceiveResult received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, silence.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (silence.IsCancellationRequested && !connection.IsCancellationRequested)
                {
                    throw new TimeoutException($"Nothing heard from the hub for {options.ServerTimeout.TotalSeconds:0.###} s.", e);
                }
                catch (OperationCanceledException e) when (connection.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new WebSocketException("Sending a ping failed.", e);
                }
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    logger.LogInformation("The hub at {HubHost} closed the WebSocket ({CloseStatus} {CloseDescription}) without a close message",
                        target.HubHost, received.CloseStatus, received.CloseStatusDescription);
                    return new ConnectionEnd(StayAway: false);
                }
                // Any traffic, a ping or a fragment of a message, shows the server is there.
                silence.CancelAfter(options.ServerTimeout);
                framer.Append(buffer.AsSpan(0, received.Count));
            }
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await pinger.ConfigureAwait(false);
        }
    }

    /// <summary>Acts on one message; returns how the connection ends when the message ends it.</summary>
    private ConnectionEnd? Handle(HubMessage message)
    {
        switch (message)
        {
            case InvocationMessage { InvocationId: { } id } invocation:
                // Answering would mean sending; a listener never does, and Azure SignalR Service (serverless) drops clients that do.
                logger.LogWarning("The hub at {HubHost} invoked {Target} expecting a result (invocation {InvocationId}); a listen-only client ignores it",
                    target.HubHost, invocation.Target, id);
                return null;
            case InvocationMessage { Target: ConfigUpdatedArgument.Target } invocation:
                if (ConfigUpdatedArgument.TryRead(invocation.Arguments, out var update))
                {
                    logger.LogInformation("The hub at {HubHost} announced config {ConfigHash} of control plane {ControlPlaneId}",
                        target.HubHost, update!.ConfigHash, update.ControlPlaneId);
                    // Bounded, dropping the oldest: only the newest config matters when the caller falls behind.
                    dispatch.TryWrite(update);
                }
                else
                {
                    logger.LogWarning("The hub at {HubHost} sent a configUpdated without the expected argument; ignored (the next poll catches up)", target.HubHost);
                }
                return null;
            case InvocationMessage invocation:
                logger.LogDebug("The hub at {HubHost} invoked {Target}, which this client does not handle", target.HubHost, invocation.Target);
                return null;
            case PingMessage:
                return null;
            case CloseMessage close:
                if (close.Error is null)
                {
                    logger.LogInformation("The hub at {HubHost} closed the connection (allowReconnect {AllowReconnect})", target.HubHost, close.AllowReconnect);
                }
                else
                {
                    logger.LogWarning("The hub at {HubHost} closed the connection with error {CloseError} (allowReconnect {AllowReconnect})",
                        target.HubHost, close.Error, close.AllowReconnect);
                }
                return new ConnectionEnd(StayAway: !close.AllowReconnect);
            case OtherMessage other:
                logger.LogDebug("The hub at {HubHost} sent a message of type {MessageType}, which a listener has no use for", target.HubHost, other.Type);
                return null;
            default:
                return null;
        }
    }

    private async Task PingAsync(ClientWebSocket socket, CancellationTokenSource connection)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.KeepAliveInterval, connection.Token).ConfigureAwait(false);
                await socket.SendAsync(s_ping, WebSocketMessageType.Text, endOfMessage: true, connection.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
            logger.LogDebug(e, "A ping to the hub at {HubHost} failed", target.HubHost);
            // The reader is told through the connection's token: a dead send side is a dead connection.
            await connection.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads until one whole message is framed, or null when the server closes first.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadMessageAsync(ClientWebSocket socket, RecordSeparatorFramer framer, byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (framer.TryRead(out var message))
            {
                return message;
            }
            var received = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            framer.Append(buffer.AsSpan(0, received.Count));
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // Politely, so the server logs a close rather than an abort; but never waiting long on a dead peer.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
            }
        }
        socket.Abort();
    }
}
