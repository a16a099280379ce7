using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Core.Rollouts;
using Gatehouse.Functions.DataPlanes;

namespace Gatehouse.Functions.Rollouts;

/// <summary>
/// The recomposer's push: once the pointer has moved, the rollout decides what the new snapshot
/// is (a canary, or the config every node runs), and only the nodes it is now the target of are told
/// (<see cref="RolloutService.PushAsync"/>). Without a policy that is every node, as before rollouts.
/// </summary>
internal sealed class RolloutNotifier(
    RolloutService rollouts, ISnapshotStore snapshots, RecentPointers pointers, IDataPlaneNotifier notifier, ILogger<RolloutNotifier> logger) : IDataPlaneNotifier
{
    public async Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken)
    {
        // First, whoever is told: every node's next pull here reads the moved pointer, not one held from before.
        pointers.Forget(controlPlane);
        StoredRollout? rollout;
        try
        {
            var pointer = await snapshots.GetPointerAsync(controlPlane, cancellationToken);
            rollout = pointer is null ? null : await rollouts.ObserveAsync(controlPlane, pointer, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not knowing whose target moved, tell every node, as without rollouts: a stable node re-asks a few times, none waits for its poll.
            logger.LogWarning(e, "Could not read the rollout of control plane {ControlPlaneId}; pushing config {ConfigHash} to all its nodes", controlPlane, configHash);
            rollout = null;
        }
        await rollouts.PushAsync(controlPlane, rollout, configHash, cancellationToken);
    }

    public Task NotifyNodesAsync(Guid controlPlane, IReadOnlyCollection<Guid> nodes, string configHash, CancellationToken cancellationToken) =>
        notifier.NotifyNodesAsync(controlPlane, nodes, configHash, cancellationToken);
}
