using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Caching;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// The certificate store as the data plane API reads it: a pin found is trusted for at most
/// <see cref="MaxAge"/> before it is read again, since every request of every node looks its
/// certificate up and after a push they all come at once. Any certificate written or removed
/// through this process empties it first, so here a removed certificate is refused from the next
/// request on; a removal made by another instance is seen within <see cref="MaxAge"/>.
/// </summary>
internal sealed class RecentPins(IDpCertificateStore inner, TimeProvider clock) : IDpCertificateStore
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly RecentReads<DpCertificatePin> _pins = new(MaxAge, clock);

    public Task<DpCertificatePin?> FindByThumbprintAsync(string thumbprint, CancellationToken cancellationToken) =>
        _pins.GetAsync(thumbprint, () => inner.FindByThumbprintAsync(thumbprint, cancellationToken));

    public Task<IReadOnlyList<DpCertificate>> ListAsync(Guid controlPlaneId, CancellationToken cancellationToken) =>
        inner.ListAsync(controlPlaneId, cancellationToken);

    public Task<DpCertificate?> FindAsync(Guid controlPlaneId, Guid id, CancellationToken cancellationToken) =>
        inner.FindAsync(controlPlaneId, id, cancellationToken);

    public Task<bool> TryAddAsync(DpCertificate certificate, CancellationToken cancellationToken) =>
        _pins.ForgettingAsync(() => inner.TryAddAsync(certificate, cancellationToken));

    public Task<DpCertificateReplaceOutcome> TryReplaceAsync(DpCertificate current, DpCertificate updated, CancellationToken cancellationToken) =>
        _pins.ForgettingAsync(() => inner.TryReplaceAsync(current, updated, cancellationToken));

    public Task<bool> TryRemoveAsync(DpCertificate current, CancellationToken cancellationToken) =>
        _pins.ForgettingAsync(() => inner.TryRemoveAsync(current, cancellationToken));

    public Task<int> RemoveAllAsync(Guid controlPlaneId, CancellationToken cancellationToken) =>
        _pins.ForgettingAsync(() => inner.RemoveAllAsync(controlPlaneId, cancellationToken));
}
