namespace Gatehouse.Core.Analytics;

/// <summary>
/// How long reported traffic is kept (<c>Gatehouse__Analytics__RetentionDays</c>, 7 by default),
/// and the sweeper's step that deletes what is older, a bounded number of rows per control plane
/// per sweep so a backlog is worked off over several sweeps.
/// </summary>
public sealed class AnalyticsRetention(IAnalyticsStore store, TimeSpan keep, TimeProvider clock)
{
    public const int DeletedPerSweep = 5000;

    public TimeSpan Keep => keep;

    /// <summary>Minutes before this are no longer kept, and reports of them are not taken.</summary>
    public DateTimeOffset Horizon => AnalyticsQuery.Floor(clock.GetUtcNow() - keep, TimeSpan.FromMinutes(1));

    public Task<int> SweepAsync(Guid controlPlaneId, CancellationToken cancellationToken) =>
        store.DeleteBeforeAsync(controlPlaneId, Horizon, DeletedPerSweep, cancellationToken);
}
