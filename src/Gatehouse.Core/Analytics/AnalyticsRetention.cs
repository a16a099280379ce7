using System.Collections.Concurrent;

namespace Gatehouse.Core.Analytics;

/// <summary>
/// How long reported traffic is kept (<c>Gatehouse__Analytics__RetentionDays</c>, 7 by default),
/// and the sweeper's step that deletes what is older, a bounded number of rows per control plane
/// per sweep so a backlog is worked off over several sweeps. Answers never reach past the horizon,
/// so the rows behind it may wait for their deletion: a control plane this sweeper left with none
/// behind it is looked over again after <see cref="PassEvery"/>, not every sweep.
/// </summary>
public sealed class AnalyticsRetention(IAnalyticsStore store, TimeSpan keep, TimeProvider clock)
{
    public const int DeletedPerSweep = 5000;

    /// <summary>
    /// How often a control plane is looked over for reports gone past the horizon once a pass left it
    /// none: each look is a query of its partition (on Azurite, of the whole table), and most
    /// control planes have nothing to delete most minutes.
    /// </summary>
    public static readonly TimeSpan PassEvery = TimeSpan.FromMinutes(10);

    // Each control plane this sweeper last left with nothing behind the horizon, and when.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _clearedAt = new();

    public TimeSpan Keep => keep;

    /// <summary>Minutes before this are no longer kept, and reports of them are not taken.</summary>
    public DateTimeOffset Horizon => AnalyticsQuery.Floor(clock.GetUtcNow() - keep, TimeSpan.FromMinutes(1));

    /// <summary>Deletes the control plane's reports behind the horizon, when due; how many it deleted.</summary>
    public async Task<int> SweepAsync(Guid controlPlaneId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_clearedAt.TryGetValue(controlPlaneId, out var cleared) && now - cleared < PassEvery)
        {
            return 0;
        }
        var deleted = await store.DeleteBeforeAsync(controlPlaneId, Horizon, DeletedPerSweep, cancellationToken).ConfigureAwait(false);
        if (deleted < DeletedPerSweep)
        {
            _clearedAt[controlPlaneId] = now;
        }
        else
        {
            // A backlog: the next sweep goes on with it.
            _clearedAt.TryRemove(controlPlaneId, out _);
        }
        return deleted;
    }

    /// <summary>Forgets the control planes not among <paramref name="existing"/>.</summary>
    public void ForgetAllBut(IReadOnlySet<Guid> existing)
    {
        foreach (var gone in _clearedAt.Keys.Where(id => !existing.Contains(id)))
        {
            _clearedAt.TryRemove(gone, out _);
        }
    }
}
