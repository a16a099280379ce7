using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// Removes the copies of audit entries that commits kept (<see cref="IChangeAuditOutbox"/>) once the
/// entries are recorded, gathered for <see cref="Gathering"/> per control plane and removed in one
/// transaction: removing each on its own was a request of its own on every write. A copy left a
/// little longer costs nothing. The sweep lists only copies older than <see cref="AuditSettings.InterruptedAfter"/>, and
/// what it lists is added to the log, never replaced, so an answer already recorded stands. What a
/// stop leaves gathered is removed as the app shuts down, or else by the sweep.
/// </summary>
internal sealed class KeptEntryRemoval(IChangeAuditOutbox outbox, ILogger<KeptEntryRemoval> logger) : IAsyncDisposable, IDisposable
{
    public static readonly TimeSpan Gathering = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan s_shutdownLimit = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<Guid>> _gathered = [];
    private readonly HashSet<Task> _removing = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _transactions;

    /// <summary>How many removals have been made, each one transaction per 100 copies: for tests and benchmarks.</summary>
    public long Removals => Interlocked.Read(ref _transactions);

    /// <summary>Removes the copy of <paramref name="entryId"/> in <paramref name="controlPlane"/>'s partition, with the others gathered meanwhile.</summary>
    public void Remove(Guid controlPlane, Guid entryId)
    {
        lock (_lock)
        {
            if (_gathered.TryGetValue(controlPlane, out var gathering))
            {
                gathering.Add(entryId);
                return;
            }
            _gathered[controlPlane] = [entryId];
            var removing = RemoveAfterGatheringAsync(controlPlane);
            _removing.Add(removing);
            _ = removing.ContinueWith(done =>
            {
                lock (_lock)
                {
                    _removing.Remove(done);
                }
            }, TaskScheduler.Default);
        }
    }

    private async Task RemoveAfterGatheringAsync(Guid controlPlane)
    {
        try
        {
            await Task.Delay(Gathering, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: remove what was gathered now.
        }
        List<Guid>? ids;
        lock (_lock)
        {
            if (!_gathered.Remove(controlPlane, out ids))
            {
                return;
            }
        }
        Interlocked.Increment(ref _transactions);
        try
        {
            await outbox.ForgetKeptAsync(controlPlane, ids, CancellationToken.None);
            logger.LogDebug("Removed the kept copies of {Count} recorded audit entries in control plane {ControlPlaneId}", ids.Count, controlPlane);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove the kept copies of {Count} recorded audit entries in control plane {ControlPlaneId}; the audit sweep will",
                ids.Count, controlPlane);
        }
    }

    /// <summary>A container disposed without waiting: what is gathered is removed now, without waiting for it.</summary>
    public void Dispose() => _stopping.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] removing;
        lock (_lock)
        {
            removing = [.. _removing];
        }
        try
        {
            await Task.WhenAll(removing).WaitAsync(s_shutdownLimit);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Kept copies of audit entries were still being removed at shutdown; the audit sweep removes what is left");
        }
    }
}
