using System.Threading.Channels;

namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// Listens on the control plane's hub for as long as the sidecar runs: negotiates, connects,
/// hands pushes to the caller, and whatever happens (refusals, timeouts, closes, garbage) tries
/// again after a backoff. Push only hurries a sidecar that also polls, so the listener never
/// gives up and never fails its caller.
/// </summary>
internal sealed class HubListener(HubListenerOptions options, HttpMessageHandler http, ILogger logger)
{
    // Pushes waiting while the caller is busy; past this, the oldest go (a newer one supersedes them).
    private const int DispatchCapacity = 64;

    private volatile bool _isConnected;

    /// <summary>True while a handshaken connection is open (for logs/tests).</summary>
    public bool IsConnected => _isConnected;

    /// <summary>For tests: the randomness of the reconnect jitter.</summary>
    internal Random Random { get; init; } = Random.Shared;

    /// <summary>
    /// Runs until cancelled, then returns (it does not throw for its own cancellation). Calls
    /// <paramref name="negotiate"/> before every attempt (tokens expire), <paramref name="connected"/>
    /// after every handshake (pushes may have been missed while away), <paramref name="updated"/> for
    /// each push. The callbacks run one at a time, in order, off the read loop (a slow config fetch
    /// must not look like a silent server); one that throws is logged and the listening goes on.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task<HubEndpoint>> negotiate,
        Func<CancellationToken, Task> connected, Func<ConfigUpdated, CancellationToken, Task> updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(negotiate);
        ArgumentNullException.ThrowIfNull(connected);
        ArgumentNullException.ThrowIfNull(updated);
        var queue = Channel.CreateBounded<ConfigUpdated?>(
            new BoundedChannelOptions(DispatchCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped => logger.LogInformation("Dropped a queued hub event ({Event}): newer ones are queued behind it", dropped?.ConfigHash ?? "connected"));
        var dispatcher = DispatchAsync(queue.Reader, connected, updated, cancellationToken);
        using var invoker = new HttpMessageInvoker(http, disposeHandler: false);
        var delay = new ReconnectDelay(options.MinReconnectDelay, options.MaxReconnectDelay, Random);
        var host = "(not negotiated yet)";
        try
        {
            for (var attempt = 1; !cancellationToken.IsCancellationRequested; attempt++)
            {
                HubConnection? connection = null;
                var stayAway = false;
                try
                {
                    var target = await NegotiateAsync(invoker, negotiate, cancellationToken).ConfigureAwait(false);
                    host = target.HubHost;
                    connection = new HubConnection(options, logger, target, queue.Writer) { OnConnectedChanged = c => _isConnected = c };
                    stayAway = (await connection.RunAsync(invoker, cancellationToken).ConfigureAwait(false)).StayAway;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    // Whatever broke, the answer is the same: try again later. The token is in no message here (it travels in headers and the WebSocket URL, which no exception names).
                    logger.LogWarning("Hub connection attempt {Attempt} to {HubHost} failed: {Reason}", attempt, host, Describe(e));
                    logger.LogDebug(e, "Hub connection attempt {Attempt} to {HubHost} failed", attempt, host);
                }
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                // A connection that got through the handshake and stayed up a keep-alive period was healthy: start the backoff afresh.
                if (connection?.ConnectedFor >= options.KeepAliveInterval)
                {
                    delay.Reset();
                }
                var wait = stayAway ? delay.Longest() : delay.Next();
                logger.LogInformation("Reconnecting to the hub at {HubHost} in {DelayMs} ms (attempt {Attempt})", host, (long)wait.TotalMilliseconds, attempt + 1);
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            _isConnected = false;
            queue.Writer.TryComplete();
            await dispatcher.ConfigureAwait(false);
        }
    }

    private async Task<NegotiatedConnection> NegotiateAsync(HttpMessageInvoker invoker, Func<CancellationToken, Task<HubEndpoint>> negotiate, CancellationToken cancellationToken)
    {
        HubEndpoint endpoint;
        using (var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            step.CancelAfter(options.HandshakeTimeout);
            try
            {
                endpoint = await negotiate(step.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (step.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The control plane's negotiate did not answer within {options.HandshakeTimeout.TotalSeconds:0.###} s.", e);
            }
        }
        try
        {
            return await HubNegotiation.NegotiateAsync(invoker, endpoint, options.HandshakeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The hub's negotiate at {endpoint.Url.Host} did not answer within {options.HandshakeTimeout.TotalSeconds:0.###} s.", e);
        }
    }

    private async Task DispatchAsync(ChannelReader<ConfigUpdated?> queue, Func<CancellationToken, Task> connected,
        Func<ConfigUpdated, CancellationToken, Task> updated, CancellationToken cancellationToken)
    {
        // Off the caller's stack: RunAsync must start its first attempt without waiting for a callback.
        await Task.Yield();
        try
        {
            await foreach (var item in queue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await (item is null ? connected(cancellationToken) : updated(item, cancellationToken)).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "The sidecar's handler of a hub event ({Event}) failed; listening goes on", item?.ConfigHash ?? "connected");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null && messages.Count < 4; current = current.InnerException)
        {
            messages.Add(current.Message);
        }
        return string.Join(" ← ", messages.Distinct());
    }
}
