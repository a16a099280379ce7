using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Rollouts;

namespace Gatehouse.Functions.Rollouts;

/// <summary>The snapshot a node is served: the newest one without a rollout, else the one its rollout serves it.</summary>
internal static class RolloutTargets
{
    public static SnapshotPointer For(SnapshotPointer pointer, StoredRollout? rollout, DataPlaneNode? node) =>
        rollout is null ? pointer : Of(pointer, RolloutEngine.TargetOf(rollout.Policy, rollout.State, node));

    /// <summary>
    /// A pointer to another snapshot of the same control plane. Only its hash is known, so the
    /// plugins it uses are read from the snapshot (once: <see cref="DataPlanes.SnapshotPlugins"/>).
    /// </summary>
    public static SnapshotPointer Of(SnapshotPointer pointer, string hash) =>
        hash == pointer.Hash ? pointer : pointer with { Hashes = pointer.Hashes with { Config = hash }, Plugins = null };

    /// <summary>Whether serving the node its target needs the node: only while a canary bakes.</summary>
    public static bool NeedsNode(StoredRollout? rollout) => rollout is { State.IsBaking: true };
}
