using Gatehouse.Core.Analytics;
using Gatehouse.Sidecar.Kong;

namespace Gatehouse.Sidecar.Metrics;

/// <summary>
/// Reads Kong's traffic at each heartbeat — <c>GET /status</c> for its restarts, the Prometheus
/// plugin's <c>GET /metrics</c> for requests and latency — and keeps what the control plane has not
/// acknowledged. Kong without the plugin, away, or answering garbage costs the numbers, never the heartbeat.
/// A control plane older than analytics refuses heartbeats carrying metrics (<see cref="Refused"/>):
/// then none are reported for <see cref="RetryRefusedAfter"/>, and the traffic of that time is dropped
/// rather than kept for a control plane that cannot take it; after that they are offered again, in
/// case it was upgraded.
/// </summary>
internal sealed class TrafficReporter(KongAdminClient kong, TimeProvider clock, ILogger logger)
{
    public static readonly TimeSpan RetryRefusedAfter = TimeSpan.FromHours(1);

    private readonly KongTrafficCounters _counters = new();
    private readonly MetricsOutbox _outbox = new(clock);
    private bool? _enabled;
    private DateTimeOffset? _refusedUntil;
    private bool _refusalLogged;

    /// <summary>Reads Kong; the report the next heartbeat carries (null when there is nothing to report, or the control plane takes none).</summary>
    public async Task<MetricsReport?> CollectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var accepted = await kong.GetConnectionsAcceptedAsync(cancellationToken).ConfigureAwait(false);
            var text = await kong.GetMetricsTextAsync(cancellationToken).ConfigureAwait(false);
            Enabled(text is not null);
            if (text is not null)
            {
                // Observed even while the control plane takes no metrics, so that the first report
                // after holds only the traffic since the heartbeat before it, not the whole hour.
                _outbox.Add(_counters.Observe(PrometheusText.Parse(text, KongTrafficCounters.IsWanted), accepted));
            }
        }
        catch (KongAdminException e)
        {
            logger.LogWarning("Kong's metrics could not be read ({Reason}); the traffic is counted at the next heartbeat", e.Message);
        }
        if (_refusedUntil is { } until && clock.GetUtcNow() < until)
        {
            _outbox.Discard();
        }
        return _outbox.Pending;
    }

    public void Acknowledge(MetricsReport? sent)
    {
        if (sent is not null && _refusedUntil is not null)
        {
            _refusedUntil = null;
            logger.LogInformation("The control plane takes metrics again: Kong's traffic is reported from now on");
        }
        _outbox.Acknowledge(sent);
    }

    /// <summary>
    /// The control plane refused a heartbeat for carrying metrics (it predates them): the report is
    /// dropped and none is offered for <see cref="RetryRefusedAfter"/>. Said once at warning; later
    /// refusals (each hour's retry) only at debug.
    /// </summary>
    public void Refused(string reason)
    {
        _outbox.Discard();
        _refusedUntil = clock.GetUtcNow() + RetryRefusedAfter;
        if (_refusalLogged)
        {
            logger.LogDebug("The control plane still refuses metrics ({Reason}); offering them again at {RetryAt:O}", reason, _refusedUntil);
            return;
        }
        _refusalLogged = true;
        logger.LogWarning(
            "The control plane refused a heartbeat for its metrics ({Reason}): it is older than Gatehouse's analytics. Heartbeats go without them and Kong's traffic is not reported; metrics are offered again every {RetryMinutes} minutes and at restart",
            reason, RetryRefusedAfter.TotalMinutes);
    }

    private void Enabled(bool enabled)
    {
        if (_enabled != enabled)
        {
            logger.LogInformation(enabled
                ? "Reporting Kong's traffic from its Prometheus metrics"
                : "Kong serves no /metrics (the Prometheus plugin is not enabled): no traffic is reported");
            _enabled = enabled;
        }
    }
}
