namespace Gatehouse.Core.Rollouts;

/// <summary>
/// Each control plane's rollout policy and state, one record written by version (ETag), so that
/// instances deciding at once cannot both win: the loser reads again and decides again.
/// </summary>
public interface IRolloutStore
{
    Task<StoredRollout?> GetAsync(Guid controlPlane, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="policy"/> and <paramref name="state"/> if the record is still at
    /// <paramref name="version"/> (null: only if there is none). The new version, or null when another write came first.
    /// </summary>
    Task<string?> TryWriteAsync(Guid controlPlane, RolloutPolicy policy, RolloutState state, string? version, CancellationToken cancellationToken);

    /// <summary>False when there was none.</summary>
    Task<bool> DeleteAsync(Guid controlPlane, CancellationToken cancellationToken);
}
