using System.Collections.Concurrent;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// The snapshot pointers the data plane API answers from, read at most once per
/// <see cref="RecentPointers.MaxAge"/> per control plane however many nodes ask: after a push
/// every node of a control plane asks within milliseconds, and each would otherwise read the same row.
/// </summary>
internal sealed class DataPlanePointers(SnapshotReader snapshots, RecentPointers recent)
{
    public Task<SnapshotPointer> CurrentAsync(Guid controlPlane, CancellationToken ct) =>
        recent.GetAsync(controlPlane, () => snapshots.PointerAsync(controlPlane, CancellationToken.None), ct);
}

/// <summary>
/// The pointer reads <see cref="DataPlanePointers"/> shares, apart from it so that the notifier can
/// forget one without depending on what reads them (the recomposer, which notifies). A pointer this
/// process moves is forgotten before its push goes out (<see cref="Push.PointerForgettingNotifier"/>),
/// so here nodes never see an older one; another instance's move is seen within <see cref="MaxAge"/>,
/// and a sidecar pushed a hash it was not then given asks again.
/// </summary>
internal sealed class RecentPointers(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, Read> _reads = new();

    public async Task<SnapshotPointer> GetAsync(Guid controlPlane, Func<Task<SnapshotPointer>> read, CancellationToken ct)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            if (_reads.TryGetValue(controlPlane, out var recent) && now - recent.StartedAt < MaxAge && !recent.Pointer.Value.IsFaulted)
            {
                return await recent.Pointer.Value.WaitAsync(ct);
            }
            // Shared by every request that comes while it runs, so it must not end with the one that started it.
            // Async so that a read failing before its first await is a faulted task, not a Lazy that rethrows forever.
            var fresh = new Read(now, new Lazy<Task<SnapshotPointer>>(async () => await read()));
            if (recent is null ? _reads.TryAdd(controlPlane, fresh) : _reads.TryUpdate(controlPlane, fresh, recent))
            {
                return await fresh.Pointer.Value.WaitAsync(ct);
            }
        }
    }

    public void Forget(Guid controlPlane) => _reads.TryRemove(controlPlane, out _);

    private sealed record Read(DateTimeOffset StartedAt, Lazy<Task<SnapshotPointer>> Pointer);
}
