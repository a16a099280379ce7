namespace Gatehouse.Core.ControlPlanes;

/// <summary>Where control planes are kept. Names are unique; writes are conditional on <see cref="ControlPlane.Version"/>.</summary>
public interface IControlPlaneStore
{
    Task<ControlPlane?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<ControlPlane?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ControlPlane>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a new control plane; false (and nothing written) when its name is taken.</summary>
    Task<bool> TryAddAsync(ControlPlane controlPlane, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces <paramref name="current"/> with <paramref name="updated"/> if it has not changed since it
    /// was read. <see cref="ReplaceOutcome.NameTaken"/> when a rename collides.
    /// </summary>
    Task<ReplaceOutcome> TryReplaceAsync(ControlPlane current, ControlPlane updated, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the control plane and, durably, everything stored under it: if the process dies
    /// half-way, <see cref="CompletePendingDeletionsAsync"/> finishes the job.
    /// False when it changed or vanished since it was read.
    /// </summary>
    Task<bool> TryRemoveAsync(ControlPlane current, CancellationToken cancellationToken);

    /// <summary>Finishes deletions a crash interrupted; returns how many it finished.</summary>
    Task<int> CompletePendingDeletionsAsync(CancellationToken cancellationToken);
}

public enum ReplaceOutcome
{
    Replaced,
    Stale,
    NameTaken,
}
