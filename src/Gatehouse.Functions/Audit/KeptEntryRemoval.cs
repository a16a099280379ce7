using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// Removes the copies of audit entries that commits kept (<see cref="IChangeAuditOutbox"/>) once the
/// entries are recorded. One removal per control plane is in flight at a time; the entries recorded
/// meanwhile are removed together in the next, one transaction per 100, so busy writers cost a
/// removal per round, not one per write. Nothing waits to gather: on Azurite, where each row
/// deleted costs a pass over the whole table, removals held back for a second met writes as bursts
/// (recompose-latency p90 138–162 ms against 89–91 removing at once). A copy that outlives its
/// entry's recording costs nothing: the sweep lists only copies older than
/// <see cref="AuditSettings.InterruptedAfter"/>, and adds what it lists, never replacing an answer
/// already recorded.
/// </summary>
internal sealed class KeptEntryRemoval(IChangeAuditOutbox outbox, ILogger<KeptEntryRemoval> logger)
{
    private readonly Lock _lock = new();

    // Per control plane with a removal in flight: the entries recorded since it began.
    private readonly Dictionary<Guid, List<Guid>> _waiting = [];
    private long _removals;

    /// <summary>How many removals have been made (each one transaction per 100 copies): for tests and benchmarks.</summary>
    public long Removals => Interlocked.Read(ref _removals);

    /// <summary>Removes the copy of <paramref name="entryId"/> kept in <paramref name="controlPlane"/>'s partition, now or with the next removal there.</summary>
    public void Remove(Guid controlPlane, Guid entryId)
    {
        lock (_lock)
        {
            if (_waiting.TryGetValue(controlPlane, out var waiting))
            {
                waiting.Add(entryId);
                return;
            }
            _waiting[controlPlane] = [];
        }
        _ = RemoveAsync(controlPlane, [entryId]);
    }

    private async Task RemoveAsync(Guid controlPlane, List<Guid> ids)
    {
        while (true)
        {
            Interlocked.Increment(ref _removals);
            try
            {
                await outbox.ForgetKeptAsync(controlPlane, ids, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not remove the kept copies of {Count} recorded audit entries in control plane {ControlPlaneId}; the audit sweep will",
                    ids.Count, controlPlane);
            }
            lock (_lock)
            {
                ids = _waiting[controlPlane];
                if (ids.Count == 0)
                {
                    _waiting.Remove(controlPlane);
                    return;
                }
                _waiting[controlPlane] = [];
            }
        }
    }
}
