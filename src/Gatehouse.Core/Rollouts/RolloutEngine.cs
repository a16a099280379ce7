using System.Globalization;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Core.Rollouts;

/// <summary>
/// The rollout's decisions, without I/O: given the policy, where the rollout stands, the newest
/// snapshot (the pointer) and the time, what it stands at next; which config each node is served;
/// and what a canary's report means. Every instance decides from the same record and writes its
/// decision by version, so the decisions are the same whichever instance makes them.
/// </summary>
public static class RolloutEngine
{
    /// <summary>Where a rollout starts when its policy is first set: every node on the newest snapshot.</summary>
    public static RolloutState Start(string pointerHash, long pointerVersion, DateTimeOffset now) =>
        new(RolloutState.Idle, pointerHash, null, now, null, null) { PointerVersion = pointerVersion };

    /// <summary>
    /// What the rollout stands at once <paramref name="pointerHash"/> is the newest snapshot, at
    /// <paramref name="now"/>. A snapshot neither stable nor the canary becomes the canary (a newer one
    /// replaces a canary still baking, and bakes afresh); a canary baked for the policy's time is
    /// promoted unless the policy says not to; a snapshot back at the stable one ends the bake (aborted);
    /// a canary that was rolled back or aborted stays off however often it is asked about. A pointer
    /// older (<paramref name="pointerVersion"/>) than the newest decided on only lets the bake time count.
    /// </summary>
    public static RolloutState Decide(RolloutPolicy policy, RolloutState state, string pointerHash, long pointerVersion, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(state);
        if (pointerVersion < state.PointerVersion)
        {
            pointerHash = state.IsBaking ? state.CanaryHash! : state.StableHash;
        }
        var next = DecideOn(policy, state, pointerHash, now);
        return next == state ? state : next with { PointerVersion = Math.Max(state.PointerVersion, pointerVersion) };
    }

    private static RolloutState DecideOn(RolloutPolicy policy, RolloutState state, string pointerHash, DateTimeOffset now)
    {
        if (state.IsBaking)
        {
            if (pointerHash == state.CanaryHash)
            {
                return policy.AutoPromote && now - state.StartedAt >= policy.BakeTime
                    ? Promote(state, now, $"baked for {policy.BakeTime.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s without a canary failing")
                    : state;
            }
            return pointerHash == state.StableHash
                ? state with { Phase = RolloutState.Aborted, EndedAt = now, Reason = "the newest config is the stable one again" }
                : Bake(state.StableHash, pointerHash, now);
        }
        if (pointerHash == state.StableHash || (pointerHash == state.CanaryHash && state.Phase is RolloutState.RolledBack or RolloutState.Aborted))
        {
            return state;
        }
        return Bake(state.StableHash, pointerHash, now);
    }

    /// <summary>The config a node is served: the canary while it bakes and the node is one of its canaries, else the stable one.</summary>
    public static string TargetOf(RolloutPolicy policy, RolloutState state, DataPlaneNode? node)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(state);
        return state.IsBaking && state.CanaryHash is { } canary && node is not null && policy.IsCanary(node) ? canary : state.StableHash;
    }

    /// <summary>
    /// Why a node's report fails the canary, or null: while it bakes, a canary whose Kong refused
    /// the canary config (its heartbeat's error names that hash) or that cannot run it
    /// (<paramref name="canaryCompatibility"/>).
    /// </summary>
    public static string? Failure(RolloutPolicy policy, RolloutState state, DataPlaneNode node, CompatibilityStatus canaryCompatibility)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(canaryCompatibility);
        if (TargetOf(policy, state, node) != state.CanaryHash || !state.IsBaking)
        {
            return null;
        }
        if (node.LastError is { } error && error.ConfigHash == state.CanaryHash)
        {
            return $"canary node {node.Id} ({node.Hostname}) failed to apply {state.CanaryHash}: {error.Message}";
        }
        return canaryCompatibility.IsIncompatible
            ? $"canary node {node.Id} ({node.Hostname}) cannot run {state.CanaryHash}: {string.Join(", ", canaryCompatibility.Issues.Select(i => i.Code))}"
            : null;
    }

    /// <summary>The canary failed: every node goes back to the stable config.</summary>
    public static RolloutState RollBack(RolloutState state, string reason, DateTimeOffset now) =>
        End(state, RolloutState.RolledBack, reason, now);

    /// <summary>Stopped by hand: every node goes back to the stable config.</summary>
    public static RolloutState Abort(RolloutState state, DateTimeOffset now) =>
        End(state, RolloutState.Aborted, "aborted by an operator", now);

    /// <summary>The canary becomes the stable config, served to every node.</summary>
    public static RolloutState Promote(RolloutState state, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(state);
        RequireBaking(state);
        return state with { Phase = RolloutState.Promoted, StableHash = state.CanaryHash!, EndedAt = now, Reason = reason };
    }

    private static RolloutState Bake(string stable, string canary, DateTimeOffset now) => new(RolloutState.Baking, stable, canary, now, null, null);

    private static RolloutState End(RolloutState state, string phase, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        RequireBaking(state);
        return state with { Phase = phase, EndedAt = now, Reason = reason };
    }

    private static void RequireBaking(RolloutState state)
    {
        if (!state.IsBaking)
        {
            throw new Validation.ConflictException($"No rollout is baking: the rollout is {state.Phase}.");
        }
    }
}
