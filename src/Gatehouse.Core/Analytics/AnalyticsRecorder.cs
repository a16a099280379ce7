namespace Gatehouse.Core.Analytics;

/// <summary>
/// Takes a heartbeat's report into the store, in the minute the node sampled it (so a report sent
/// again later lands in the same row). A report sampled before the retention horizon or more than
/// <see cref="MaxClockSkew"/> ahead of this clock is not taken: it says so, and the heartbeat
/// itself still counts.
/// </summary>
public sealed class AnalyticsRecorder(IAnalyticsStore store, AnalyticsRetention retention, TimeProvider clock)
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>True when stored; false when its time is outside what is kept.</summary>
    public async Task<bool> RecordAsync(Guid controlPlaneId, Guid nodeId, MetricsReport report, CancellationToken cancellationToken)
    {
        var minute = AnalyticsQuery.Floor(report.At, TimeSpan.FromMinutes(1));
        if (minute < retention.Horizon || report.At > clock.GetUtcNow() + MaxClockSkew)
        {
            return false;
        }
        if (!report.Traffic.IsEmpty)
        {
            await store.WriteAsync(controlPlaneId, nodeId, minute, report, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }
}
