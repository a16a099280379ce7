using Gatehouse.Core.Analytics;
using Gatehouse.Sidecar.Kong;

namespace Gatehouse.Sidecar.Metrics;

/// <summary>
/// Reads Kong's traffic at each heartbeat — <c>GET /status</c> for its restarts, the Prometheus
/// plugin's <c>GET /metrics</c> for requests and latency — and keeps what the control plane has not
/// acknowledged. Kong without the plugin, away, or answering garbage costs the numbers, never the heartbeat.
/// </summary>
internal sealed class TrafficReporter(KongAdminClient kong, TimeProvider clock, ILogger logger)
{
    private readonly KongTrafficCounters _counters = new();
    private readonly MetricsOutbox _outbox = new(clock);
    private bool? _enabled;

    /// <summary>Reads Kong; the report the next heartbeat carries (null when there is nothing to report).</summary>
    public async Task<MetricsReport?> CollectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var accepted = await kong.GetConnectionsAcceptedAsync(cancellationToken).ConfigureAwait(false);
            var text = await kong.GetMetricsTextAsync(cancellationToken).ConfigureAwait(false);
            Enabled(text is not null);
            if (text is not null)
            {
                _outbox.Add(_counters.Observe(PrometheusText.Parse(text, KongTrafficCounters.IsWanted), accepted));
            }
        }
        catch (KongAdminException e)
        {
            logger.LogWarning("Kong's metrics could not be read ({Reason}); the traffic is counted at the next heartbeat", e.Message);
        }
        return _outbox.Pending;
    }

    public void Acknowledge(MetricsReport? sent) => _outbox.Acknowledge(sent);

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
