namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// Where pinned data plane certificates are kept. A thumbprint is pinned to at most one control
/// plane in the whole installation, because the data plane API learns which control plane a data
/// plane belongs to from the certificate it presents. A certificate and its thumbprint index are
/// written and removed together, so a removed certificate stops authenticating at once.
/// </summary>
public interface IDpCertificateStore
{
    /// <summary>The control plane's certificates, oldest first.</summary>
    Task<IReadOnlyList<DpCertificate>> ListAsync(Guid controlPlaneId, CancellationToken cancellationToken);

    Task<DpCertificate?> FindAsync(Guid controlPlaneId, Guid id, CancellationToken cancellationToken);

    /// <summary>One point read: where the certificate with this SHA-256 thumbprint (lowercase hex) is pinned, or null.</summary>
    Task<DpCertificatePin?> FindByThumbprintAsync(string thumbprint, CancellationToken cancellationToken);

    /// <summary>Adds the certificate; false (and nothing written) when its thumbprint is pinned already.</summary>
    Task<bool> TryAddAsync(DpCertificate certificate, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="current"/> (its certificate and title) if it has not changed since it was read.</summary>
    Task<DpCertificateReplaceOutcome> TryReplaceAsync(DpCertificate current, DpCertificate updated, CancellationToken cancellationToken);

    /// <summary>Removes the certificate if it has not changed since it was read; false when it changed or vanished.</summary>
    Task<bool> TryRemoveAsync(DpCertificate current, CancellationToken cancellationToken);

    /// <summary>Removes every certificate of a control plane (when the control plane is deleted); returns how many.</summary>
    Task<int> RemoveAllAsync(Guid controlPlaneId, CancellationToken cancellationToken);
}

public enum DpCertificateReplaceOutcome
{
    Replaced,
    Stale,
    ThumbprintTaken,
}
