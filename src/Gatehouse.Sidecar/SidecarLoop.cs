using System.Threading.Channels;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Sidecar.ControlPlane;
using Gatehouse.Sidecar.Hub;
using Gatehouse.Sidecar.Kong;
using Gatehouse.Sidecar.Metrics;

namespace Gatehouse.Sidecar;

/// <summary>
/// Keeps one Kong node on its control plane's config. Kong first gets the last good config from
/// the cache (so a node restarted while the control plane is away still serves); then a pull on
/// every push, on every hub reconnect and every poll interval fetches with <c>If-None-Match</c>,
/// checks the bytes against their hash, caches them, loads them into Kong and checks Kong's hash;
/// a heartbeat reports what runs, or why the newest config does not.
/// Kong keeps the last good config whatever fails: the control plane, the hub, Kong's load.
/// </summary>
internal sealed class SidecarLoop(SidecarOptions options, ControlPlaneClient controlPlane, KongAdminClient kong, ConfigCache cache,
    HubListener? hub, ILogger<SidecarLoop> logger, TrafficReporter? traffic = null)
{
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(2);

    /// <summary>How long a pushed hash is chased when pulls still answer an older one (another instance behind).</summary>
    private static readonly TimeSpan s_chasePush = TimeSpan.FromSeconds(10);

    // One heartbeat at a time: the traffic a heartbeat carries is acknowledged only by its own answer.
    private readonly SemaphoreSlim _beating = new(1, 1);
    private readonly Channel<string> _wake = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile string? _running;
    private volatile HeartbeatError? _error;
    private volatile Pushed? _pushed;
    private string? _refused;
    private string? _lastProblem;
    private KongNode? _kong;
    private string? _factsHash;

    /// <summary>The hash of the config Kong runs, as checked; null until one is.</summary>
    public string? RunningHash => _running;

    public Guid NodeId { get; private set; }

    /// <summary>Runs until cancelled, then returns (as the hub listener does): stopping is not a failure.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopped; Kong keeps config {ConfigHash}", _running ?? "(none)");
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        _kong = await WaitForKongAsync(cancellationToken).ConfigureAwait(false);
        NodeId = options.NodeId ?? _kong.NodeId;
        _factsHash = NodeFacts.Hash(_kong.Version, _kong.Plugins);
        logger.LogInformation("Node {NodeId} ({Hostname}, Kong {KongVersion}) syncing from {ControlPlaneUrl}; push {Push}, poll every {PollSeconds} s",
            NodeId, _kong.Hostname, _kong.Version, options.ControlPlaneUrl, options.Push ? "on" : "off", options.PollInterval.TotalSeconds);
        await RestoreFromCacheAsync(cancellationToken).ConfigureAwait(false);
        // Said before the first pull, so that an incompatible node is known as such when it asks.
        await BeatAsync(cancellationToken).ConfigureAwait(false);

        var loops = new List<Task> { SyncLoopAsync(cancellationToken), HeartbeatLoopAsync(cancellationToken) };
        if (hub is not null)
        {
            loops.Add(hub.RunAsync(
                ct => controlPlane.NegotiateAsync(NodeId, ct),
                _ => Wake("hub connected"),
                (update, _) =>
                {
                    if (update.ConfigHash == _running)
                    {
                        return Task.CompletedTask;
                    }
                    _pushed = new Pushed(update.ConfigHash, DateTimeOffset.UtcNow);
                    return Wake("push");
                },
                cancellationToken));
        }
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private Task Wake(string reason)
    {
        _wake.Writer.TryWrite(reason);
        return Task.CompletedTask;
    }

    private async Task<KongNode> WaitForKongAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await kong.GetNodeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(30, attempt));
                logger.LogWarning("Kong's Admin API at {KongAdminUrl} does not answer ({Reason}); asking again in {DelaySeconds} s",
                    options.KongAdminUrl, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RestoreFromCacheAsync(CancellationToken cancellationToken)
    {
        var cached = await cache.ReadAsync((file, reason) => logger.LogWarning("Discarded cached config {File}: {Reason}", file, reason), cancellationToken)
            .ConfigureAwait(false);
        if (cached is not { } found)
        {
            logger.LogInformation("No cached config in {CacheDirectory}", cache.Directory);
            return;
        }
        logger.LogInformation("Loading cached config {ConfigHash} into Kong before asking the control plane", found.Hash);
        await ApplyAsync(found.Config, found.Hash, cancellationToken).ConfigureAwait(false);
    }

    private async Task SyncLoopAsync(CancellationToken cancellationToken)
    {
        await Wake("start").ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                poll.CancelAfter(options.PollInterval);
                try
                {
                    reason = await _wake.Reader.ReadAsync(poll.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    reason = "poll";
                }
            }
            try
            {
                if (!await PullAsync(reason, cancellationToken).ConfigureAwait(false))
                {
                    _ = RetryLaterAsync(cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A bug must not stop the node from syncing: Kong keeps what it runs, the next pull tries again.
                logger.LogError(e, "Sync after {Reason} failed unexpectedly", reason);
            }
        }
    }

    private async Task RetryLaterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(s_retry, cancellationToken).ConfigureAwait(false);
            await Wake("retry").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: nothing to retry.
        }
    }

    /// <summary>One pull; false when it should be tried again soon rather than at the next poll.</summary>
    private async Task<bool> PullAsync(string reason, CancellationToken cancellationToken)
    {
        var fetched = await controlPlane.FetchConfigAsync(NodeId, _factsHash!, _running, cancellationToken).ConfigureAwait(false);
        switch (fetched)
        {
            case ConfigFetch.NotModified:
                Problem(null);
                // Pushed a newer hash than the answer knew of: the instance that answered is a moment behind.
                return _pushed is not { } pushed || pushed.Hash == _running || DateTimeOffset.UtcNow - pushed.At > s_chasePush;
            case ConfigFetch.Withheld withheld:
                Problem($"The control plane withholds its config from this node: {withheld.Message}");
                return true;
            case ConfigFetch.Refused refused:
                Problem($"The control plane refused this node's certificate ({refused.Status}: {refused.Message}); Kong keeps config {_running ?? "(none)"}");
                return true;
            case ConfigFetch.Unavailable unavailable:
                Problem($"The control plane is unavailable ({unavailable.Reason}); Kong keeps config {_running ?? "(none)"}");
                return true;
            case ConfigFetch.Modified modified:
                Problem(null);
                logger.LogInformation("Config {ConfigHash} fetched after {Reason} ({Bytes} bytes)", modified.Hash, reason, modified.Config.Length);
                return await TakeAsync(modified, cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"Unknown fetch result {fetched}.");
        }
    }

    private async Task<bool> TakeAsync(ConfigFetch.Modified modified, CancellationToken cancellationToken)
    {
        string actual;
        try
        {
            actual = ConfigHash.Of(modified.Config.Span).Config;
        }
        catch (FormatException e)
        {
            actual = e.Message;
        }
        if (actual != modified.Hash)
        {
            logger.LogError("Config said to be {ConfigHash} does not match its content ({Actual}): not applied", modified.Hash, actual);
            _error = HeartbeatError.Of($"The config received as {modified.Hash} does not match its hash; it was not applied.", null);
            await BeatAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }
        if (modified.Hash == _refused)
        {
            // Kong refused exactly this config already; the error is reported until a new one comes.
            return true;
        }
        await cache.WriteAsync(modified.Config, modified.Hash, cancellationToken).ConfigureAwait(false);
        return await ApplyAsync(modified.Config, modified.Hash, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ApplyAsync(ReadOnlyMemory<byte> config, string hash, CancellationToken cancellationToken)
    {
        var result = await kong.ApplyAsync(config, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case KongApplyResult.Applied or KongApplyResult.Unchanged:
                var kongHash = await kong.GetConfigurationHashAsync(cancellationToken).ConfigureAwait(false);
                var expected = KongAdminClient.HashOf(config.Span);
                if (kongHash != expected)
                {
                    logger.LogWarning("Kong answered {Result} for config {ConfigHash} but reports {KongHash}, not {Expected}; loading again",
                        result.GetType().Name, hash, kongHash, expected);
                    return false;
                }
                if (_running != hash)
                {
                    logger.LogInformation("Kong runs config {ConfigHash}", hash);
                }
                _running = hash;
                _refused = null;
                _error = null;
                await BeatAsync(cancellationToken).ConfigureAwait(false);
                return true;
            case KongApplyResult.Rejected rejected:
                logger.LogError("Kong refused config {ConfigHash}: {Message} {Details}; it keeps config {Running}",
                    hash, rejected.Message, rejected.Details, _running ?? "(none)");
                _refused = hash;
                _error = HeartbeatError.Of($"Kong refused the configuration: {rejected.Message} {rejected.Details}".Trim(), hash);
                await BeatAsync(cancellationToken).ConfigureAwait(false);
                return true;
            case KongApplyResult.Unavailable unavailable:
                logger.LogWarning("Kong could not load config {ConfigHash} ({Reason}); trying again", hash, unavailable.Reason);
                return false;
            default:
                throw new InvalidOperationException($"Unknown apply result {result}.");
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                _kong = await kong.GetNodeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Kong's Admin API does not answer ({Reason}); heartbeat says what it last said", e.Message);
            }
            await BeatAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        await _beating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var metrics = traffic is null ? null : await traffic.CollectAsync(cancellationToken).ConfigureAwait(false);
            var node = _kong!;
            var heartbeat = new Heartbeat(NodeId, node.Hostname, node.Version,
                [.. node.Plugins.Select(p => new HeartbeatPlugin(p.Name, p.Version))], _running ?? "", options.Labels, _error, HeartbeatMetrics.Of(metrics));
            var failure = await controlPlane.HeartbeatAsync(heartbeat, cancellationToken).ConfigureAwait(false);
            if (failure is { RefusesMetrics: true } && heartbeat.Metrics is not null)
            {
                // An older control plane: the node's state matters more than its traffic, so say it without.
                traffic!.Refused(failure.Message);
                metrics = null;
                failure = await controlPlane.HeartbeatAsync(heartbeat with { Metrics = null }, cancellationToken).ConfigureAwait(false);
            }
            if (failure is not null)
            {
                // The traffic stays pending and goes with the next heartbeat, under the same sequence.
                logger.LogWarning("Heartbeat not taken: {Reason}", failure);
                return;
            }
            traffic?.Acknowledge(metrics);
        }
        finally
        {
            _beating.Release();
        }
    }

    private sealed record Pushed(string Hash, DateTimeOffset At);

    /// <summary>Logs a problem once, not at every poll, and says when it is over.</summary>
    private void Problem(string? problem)
    {
        if (problem == _lastProblem)
        {
            return;
        }
        if (problem is null)
        {
            logger.LogInformation("The control plane answers again");
        }
        else
        {
            logger.LogWarning("{Problem}", problem);
        }
        _lastProblem = problem;
    }
}
