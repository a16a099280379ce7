using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// Listens on the control plane's hub for as long as the sidecar runs, with the official SignalR
/// client (<see cref="HubSession"/>), and hands pushes to the caller. The client reconnects on its
/// own; this loop covers what it does not: a first connect that fails, a server that closes and
/// says not to come back soon, a hub that moved. Whatever happens, it tries again after a backoff.
/// Push only hurries a sidecar that also polls, so the listener never gives up and never fails its caller.
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

    /// <summary>Where the SignalR client's own logs go (none by default: the listener logs the story of the connection itself).</summary>
    internal ILoggerFactory ClientLogs { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Runs until cancelled, then returns (it does not throw for its own cancellation). Calls
    /// <paramref name="negotiate"/> (Gatehouse's <c>POST /v1/dp/negotiate</c>) before every connect
    /// and reconnect (tokens expire, hubs move), <paramref name="connected"/> after every handshake
    /// (pushes may have been missed while away), <paramref name="updated"/> for each push. The
    /// callbacks run one at a time, in order, off the client's receive loop (a slow config fetch must
    /// not look like a silent server); one that throws is logged and the listening goes on.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task<HubEndpoint>> negotiate,
        Func<CancellationToken, Task> connected, Func<ConfigUpdated, CancellationToken, Task> updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(negotiate);
        ArgumentNullException.ThrowIfNull(connected);
        ArgumentNullException.ThrowIfNull(updated);
        var queue = Channel.CreateBounded<ConfigUpdated?>(
            new BoundedChannelOptions(DispatchCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => logger.LogInformation("Dropped a queued hub event ({Event}): newer ones are queued behind it", dropped?.ConfigHash ?? "connected"));
        var dispatcher = DispatchAsync(queue.Reader, connected, updated, cancellationToken);
        using var pool = new HttpMessageInvoker(http, disposeHandler: false);
        var delay = new ReconnectDelay(options.MinReconnectDelay, options.MaxReconnectDelay, Random);
        Task<HubEndpoint> Negotiate(CancellationToken ct) => NegotiateAsync(negotiate, ct);
        HubEndpoint? movedTo = null;
        var host = "(not negotiated yet)";
        try
        {
            for (var attempt = 1; !cancellationToken.IsCancellationRequested; attempt++)
            {
                var stayAway = false;
                try
                {
                    var endpoint = movedTo ?? await Negotiate(cancellationToken).ConfigureAwait(false);
                    movedTo = null;
                    host = endpoint.Url.Host;
                    await using var session = new HubSession(options, logger, endpoint, Negotiate, delay, pool, queue.Writer, c => _isConnected = c, ClientLogs);
                    movedTo = await session.RunAsync(cancellationToken).ConfigureAwait(false);
                    stayAway = movedTo is null;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    // Whatever broke, the answer is the same: try again later. No token is in any message here (it travels in a header, never in a URL).
                    logger.LogWarning("Hub connection attempt {Attempt} to {HubHost} failed: {Reason}", attempt, host, ExceptionChain.Describe(e));
                    logger.LogDebug(e, "Hub connection attempt {Attempt} to {HubHost} failed", attempt, host);
                }
                if (movedTo is not null)
                {
                    logger.LogInformation("The hub moved from {HubHost} to {NewHubHost}; connecting there", host, movedTo.Url.Host);
                    continue;
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

    /// <summary>The caller's negotiate, bounded like every other step of an attempt.</summary>
    private async Task<HubEndpoint> NegotiateAsync(Func<CancellationToken, Task<HubEndpoint>> negotiate, CancellationToken cancellationToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(options.HandshakeTimeout);
        try
        {
            return await negotiate(step.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (step.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The control plane's negotiate did not answer within {options.HandshakeTimeout.TotalSeconds:0.###} s.", e);
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
}
