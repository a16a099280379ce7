using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// One official SignalR <see cref="HubConnection"/> to the hub that Gatehouse's negotiate named,
/// from its start until it closes for good. The client negotiates (following redirects, as Azure
/// SignalR Service answers), handshakes, pings, times out a silent server and reconnects on its
/// own, never giving up. Each reconnect first asks Gatehouse's negotiate again, since the token may
/// have expired and the hub may have moved; a hub that moved ends the session, because a
/// connection's URL is fixed. Listen-only: nothing here invokes the server.
/// </summary>
internal sealed class HubSession : IAsyncDisposable
{
    private readonly HubListenerOptions _options;
    private readonly ILogger _logger;
    private readonly HubEndpoint _endpoint;
    private readonly Func<CancellationToken, Task<HubEndpoint>> _negotiate;
    private readonly ReconnectDelay _delay;
    private readonly HttpMessageInvoker _pool;
    private readonly ChannelWriter<ConfigUpdated?> _dispatch;
    private readonly Action<bool> _connectedChanged;
    private readonly HubConnection _connection;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<HubEndpoint> _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _accessToken;
    private volatile bool _renegotiate;
    private long _connectedAt;

    /// <param name="options">Timeouts, keep-alive and backoff bounds.</param>
    /// <param name="logger">Where the story of the connection is told.</param>
    /// <param name="endpoint">Where to connect, as Gatehouse's negotiate just answered.</param>
    /// <param name="negotiate">Gatehouse's negotiate, bounded, asked again before every reconnect.</param>
    /// <param name="delay">The backoff, shared with the caller so that failures count across sessions.</param>
    /// <param name="pool">The sidecar's connection pool, for negotiate requests and the WebSocket alike.</param>
    /// <param name="dispatch">Where pushes go, and <c>null</c> for "connected" (pushes may have been missed while away).</param>
    /// <param name="connectedChanged">Told true on every handshake, false whenever the connection is lost.</param>
    /// <param name="clientLogs">Where the SignalR client's own logs go.</param>
    public HubSession(HubListenerOptions options, ILogger logger, HubEndpoint endpoint, Func<CancellationToken, Task<HubEndpoint>> negotiate,
        ReconnectDelay delay, HttpMessageInvoker pool, ChannelWriter<ConfigUpdated?> dispatch, Action<bool> connectedChanged, ILoggerFactory clientLogs)
    {
        _options = options;
        _logger = logger;
        _endpoint = endpoint;
        _negotiate = negotiate;
        _delay = delay;
        _pool = pool;
        _dispatch = dispatch;
        _connectedChanged = connectedChanged;
        _accessToken = endpoint.AccessToken;

        var builder = new HubConnectionBuilder()
            .WithUrl(endpoint.Url, HttpTransportType.WebSockets, http =>
            {
                http.AccessTokenProvider = AccessTokenAsync;
                http.HttpMessageHandlerFactory = unused =>
                {
                    unused.Dispose();
                    return new LentHandler(pool, options.HandshakeTimeout);
                };
                http.WebSocketFactory = ConnectWebSocketAsync;
            })
            .WithAutomaticReconnect(new ReconnectForever(this));
        builder.Services.AddSingleton(clientLogs);
        _connection = builder.Build();
        _connection.KeepAliveInterval = options.KeepAliveInterval;
        _connection.ServerTimeout = options.ServerTimeout;
        _connection.HandshakeTimeout = options.HandshakeTimeout;
        _connection.On<JsonElement>(ConfigUpdatedArgument.Target, OnConfigUpdated);
        _connection.Reconnected += _ =>
        {
            OnConnected(unlessGoneAgain: true);
            return Task.CompletedTask;
        };
        _connection.Closed += OnClosedAsync;
    }

    private string Host => _endpoint.Url.Host;

    /// <summary>
    /// Connects (throwing when that fails), then listens until the server closes the connection and
    /// says not to reconnect (null) or Gatehouse names another hub (returned, with its token).
    /// </summary>
    public async Task<HubEndpoint?> RunAsync(CancellationToken cancellationToken)
    {
        await using var stop = cancellationToken.Register(_stopping.Cancel);
        await _connection.StartAsync(cancellationToken).ConfigureAwait(false);
        OnConnected(unlessGoneAgain: true);
        await Task.WhenAny(_closed.Task, _moved.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        return _moved.Task.IsCompletedSuccessfully ? _moved.Task.Result : null;
    }

    public async ValueTask DisposeAsync()
    {
        // First, so that a Gatehouse negotiate in flight for a reconnect gives up and the client can stop.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        Disconnected();
        _stopping.Dispose();
    }

    /// <summary>
    /// Marks the connection up and tells the caller, once per connection: after the start or the
    /// reconnect returns, or at its first push if that comes first (the client runs the two apart),
    /// so that "connected" always precedes the pushes of its connection. A push proves the
    /// connection is up (the client may not say Connected yet); a start or reconnect that returned
    /// a moment ago does not (<paramref name="unlessGoneAgain"/>: it may be reconnecting already).
    /// </summary>
    private void OnConnected(bool unlessGoneAgain)
    {
        if ((unlessGoneAgain && _connection.State != HubConnectionState.Connected)
            || Interlocked.CompareExchange(ref _connectedAt, Stopwatch.GetTimestamp(), 0) != 0)
        {
            return;
        }
        _connectedChanged(true);
        _logger.LogInformation("Connected to the hub at {HubHost}", Host);
        // Bounded, dropping the oldest: "connected" only asks for a pull, as does any newer event.
        _dispatch.TryWrite(null);
    }

    /// <summary>Marks the connection down; how long it was up (zero when it was not).</summary>
    private TimeSpan Disconnected()
    {
        var at = Interlocked.Exchange(ref _connectedAt, 0);
        _connectedChanged(false);
        return at == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(at);
    }

    private void OnConfigUpdated(JsonElement argument)
    {
        OnConnected(unlessGoneAgain: false);
        if (ConfigUpdatedArgument.TryRead(argument, out var update))
        {
            _logger.LogInformation("The hub at {HubHost} announced config {ConfigHash} of control plane {ControlPlaneId}",
                Host, update!.ConfigHash, update.ControlPlaneId);
            // Bounded, dropping the oldest: only the newest config matters when the caller falls behind.
            _dispatch.TryWrite(update);
        }
        else
        {
            _logger.LogWarning("The hub at {HubHost} sent a configUpdated without the expected argument; ignored (the next poll catches up)", Host);
        }
    }

    private Task OnClosedAsync(Exception? error)
    {
        Disconnected();
        // With a retry policy that never gives up, the client closes for good only when told to: by the server, or by this session.
        if (!_stopping.IsCancellationRequested && !_moved.Task.IsCompleted)
        {
            _logger.LogWarning("The hub at {HubHost} closed the connection and said not to reconnect: {Reason}", Host, ExceptionChain.Describe(error));
        }
        _closed.TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The token for the client's next request. Within an attempt, the one in hand; for the first
    /// request of a reconnect attempt, a fresh one from Gatehouse, who may also answer that the hub
    /// moved, which fails the attempt and ends the session.
    /// </summary>
    private async Task<string?> AccessTokenAsync()
    {
        if (!_renegotiate)
        {
            return _accessToken;
        }
        var fresh = await _negotiate(_stopping.Token).ConfigureAwait(false);
        if (fresh.Url != _endpoint.Url)
        {
            _moved.TrySetResult(fresh);
            throw new InvalidOperationException($"Gatehouse now sends this node to the hub at {fresh.Url.Host}.");
        }
        _accessToken = fresh.AccessToken;
        _renegotiate = false;
        return _accessToken;
    }

    /// <summary>
    /// The WebSocket, through the sidecar's pool (the client's own factory would open a separate
    /// connection with default TLS), with the token as the client's factory sends it outside a
    /// browser: a bearer header, never in the URL.
    /// </summary>
    private async ValueTask<WebSocket> ConnectWebSocketAsync(WebSocketConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            if (context.Options.AccessTokenProvider is { } tokens && await tokens().ConfigureAwait(false) is { Length: > 0 } token)
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            }
            using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            step.CancelAfter(_options.HandshakeTimeout);
            await socket.ConnectAsync(context.Uri, _pool, step.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Called by the client before each reconnect attempt's delay, with why the last attempt (or the connection) failed.</summary>
    private TimeSpan NextRetryDelay(RetryContext context)
    {
        if (_moved.Task.IsCompleted)
        {
            // The session is ending: this delay is cut short by the stop.
            return _options.MaxReconnectDelay;
        }
        _renegotiate = true;
        if (context.PreviousRetryCount == 0)
        {
            // A connection that stayed up a keep-alive period was healthy: start the backoff afresh.
            if (Disconnected() >= _options.KeepAliveInterval)
            {
                _delay.Reset();
            }
            _logger.LogWarning("Lost the hub connection to {HubHost}: {Reason}", Host, ExceptionChain.Describe(context.RetryReason));
        }
        else
        {
            _logger.LogWarning("Hub reconnect attempt {Attempt} to {HubHost} failed: {Reason}", context.PreviousRetryCount, Host, ExceptionChain.Describe(context.RetryReason));
        }
        var wait = _delay.Next();
        _logger.LogInformation("Reconnecting to the hub at {HubHost} in {DelayMs} ms (attempt {Attempt})", Host, (long)wait.TotalMilliseconds, context.PreviousRetryCount + 1);
        return wait;
    }

    /// <summary>The client's automatic reconnect, which stops only when its policy returns null: this one never does.</summary>
    private sealed class ReconnectForever(HubSession session) : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => session.NextRetryDelay(retryContext);
    }
}
