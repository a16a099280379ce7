namespace Gatehouse.Core.Analytics;

/// <summary>
/// Where nodes' reported traffic is kept, per control plane, per minute, per node and per report.
/// Writing a report is idempotent: the same node, minute and sequence write the same row.
/// </summary>
public interface IAnalyticsStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    Task WriteAsync(Guid controlPlaneId, Guid nodeId, DateTimeOffset minute, MetricsReport report, CancellationToken cancellationToken);

    /// <summary>The control plane's reports of minutes in [<paramref name="from"/>, <paramref name="to"/>), of one node when <paramref name="nodeId"/> is given.</summary>
    IAsyncEnumerable<NodeMinuteReport> ReadAsync(Guid controlPlaneId, DateTimeOffset from, DateTimeOffset to, Guid? nodeId, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> of the control plane's reports of minutes before <paramref name="before"/>; says how many.</summary>
    Task<int> DeleteBeforeAsync(Guid controlPlaneId, DateTimeOffset before, int limit, CancellationToken cancellationToken);
}
