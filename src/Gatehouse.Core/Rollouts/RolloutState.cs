namespace Gatehouse.Core.Rollouts;

/// <summary>
/// Where a control plane's rollout stands. Every node not a canary is served <see cref="StableHash"/>;
/// while <see cref="Baking"/>, canaries are served <see cref="CanaryHash"/>. Once it has ended
/// (promoted, rolled back or aborted) every node is served <see cref="StableHash"/>, and
/// <see cref="CanaryHash"/> says which config the rollout was of.
/// </summary>
public sealed record RolloutState(string Phase, string StableHash, string? CanaryHash, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Reason)
{
    /// <summary>No rollout yet since the policy was set: every node runs the stable hash.</summary>
    public const string Idle = "idle";
    public const string Baking = "baking";
    public const string Promoted = "promoted";
    public const string RolledBack = "rolled_back";
    public const string Aborted = "aborted";

    /// <summary>
    /// The version number of the newest pointer decided on (<c>SnapshotPointer.VersionNumber</c>).
    /// An instance may hold a pointer up to a second old; one older than this decides nothing, so it
    /// can neither abort a bake (its hash looking like the stable one) nor bring back an older canary.
    /// </summary>
    public long PointerVersion { get; init; }

    public bool IsBaking => Phase == Baking;

    /// <summary>The snapshots this rollout serves, which retention must keep.</summary>
    public IReadOnlyCollection<string> ServedHashes => IsBaking && CanaryHash is { } canary ? [StableHash, canary] : [StableHash];
}

/// <summary>A control plane's policy and where its rollout stands, with the version (ETag) they were read at.</summary>
public sealed record StoredRollout(RolloutPolicy Policy, RolloutState State, string Version);
