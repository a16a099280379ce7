using System.Collections.Concurrent;
using Gatehouse.Core.Composition;

namespace Gatehouse.Bench;

/// <summary>
/// Told by the app's recomposer each time a control plane's snapshot pointer moves, so a benchmark
/// waits for the move without asking storage over and over: a pointer read every 5 ms was 774 of
/// the 1,931 requests Azurite served during a group-latency run's writes, load the figures then carried.
/// </summary>
internal sealed class PointerMoves : IRecomposeObserver
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _next = new();

    public void Reached(Guid controlPlane, RecomposeStep step)
    {
        if (step == RecomposeStep.PointerMoved && _next.TryRemove(controlPlane, out var moved))
        {
            moved.TrySetResult();
        }
    }

    /// <summary>
    /// Until <paramref name="done"/> holds for the control plane's pointer: read once, then again
    /// after each move (or every 250 ms, should a move come between the read and the wait).
    /// </summary>
    public async Task<SnapshotPointer> UntilAsync(ISnapshotStore snapshots, Guid controlPlane, Func<SnapshotPointer, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // Asked for before the read, so a move during the read is not missed.
            var moved = _next.GetOrAdd(controlPlane, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            if (await snapshots.GetPointerAsync(controlPlane, CancellationToken.None) is { } pointer && done(pointer))
            {
                return pointer;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the snapshot pointer of {controlPlane} did not get there in {timeout}");
            }
            await Task.WhenAny(moved, Task.Delay(250));
        }
    }
}
