using Gatehouse.Core.Analytics;

namespace Gatehouse.Sidecar.Metrics;

/// <summary>
/// The traffic not yet acknowledged by the control plane. Deltas go into one pending report, under
/// one sequence and one sample time, until a heartbeat carrying it is answered 2xx; a heartbeat that
/// fails leaves it pending, and later deltas add to it. The control plane stores a report by node and
/// sequence, replacing what that sequence wrote before, so sending the same report again — grown or
/// not — never counts anything twice, and nothing is lost while the control plane is away. (Traffic
/// during an outage counts in the minute the pending report was first sampled in.)
/// Sequences start at the process's start time in microseconds, so a restarted sidecar does not reuse one.
/// Not thread-safe: the heartbeat holds its lock around use.
/// </summary>
internal sealed class MetricsOutbox(TimeProvider clock)
{
    private long _next = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private MetricsReport? _pending;

    public MetricsReport? Pending => _pending;

    public void Add(ServiceTraffic delta)
    {
        if (delta.IsEmpty)
        {
            return;
        }
        _pending ??= new MetricsReport(_next++, clock.GetUtcNow(), new ServiceTraffic());
        _pending.Traffic.Add(delta);
    }

    /// <summary>Forgets the pending traffic: the control plane cannot take it. A new report (and sequence) starts with the next delta.</summary>
    public void Discard() => _pending = null;

    /// <summary>The control plane took <paramref name="sent"/>: a new report starts with the next delta.</summary>
    public void Acknowledge(MetricsReport? sent)
    {
        if (sent is not null && ReferenceEquals(sent, _pending))
        {
            _pending = null;
        }
    }
}
