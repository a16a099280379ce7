using System.Collections.Concurrent;
using Gatehouse.Core.DataPlanes;

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

    private readonly ConcurrentDictionary<string, (DpCertificatePin Pin, DateTimeOffset ReadAt)> _pins = new(StringComparer.Ordinal);
    private long _generation;

    public async Task<DpCertificatePin?> FindByThumbprintAsync(string thumbprint, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_pins.TryGetValue(thumbprint, out var recent) && now - recent.ReadAt < MaxAge)
        {
            return recent.Pin;
        }
        // A removal that lands while this read is out must not be undone by keeping what it found.
        var generation = Interlocked.Read(ref _generation);
        var pin = await inner.FindByThumbprintAsync(thumbprint, cancellationToken).ConfigureAwait(false);
        if (pin is null)
        {
            _pins.TryRemove(thumbprint, out _);
        }
        else if (Interlocked.Read(ref _generation) == generation)
        {
            _pins[thumbprint] = (pin, now);
        }
        return pin;
    }

    public Task<IReadOnlyList<DpCertificate>> ListAsync(Guid controlPlaneId, CancellationToken cancellationToken) =>
        inner.ListAsync(controlPlaneId, cancellationToken);

    public Task<DpCertificate?> FindAsync(Guid controlPlaneId, Guid id, CancellationToken cancellationToken) =>
        inner.FindAsync(controlPlaneId, id, cancellationToken);

    public Task<bool> TryAddAsync(DpCertificate certificate, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryAddAsync(certificate, cancellationToken));

    public Task<DpCertificateReplaceOutcome> TryReplaceAsync(DpCertificate current, DpCertificate updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryReplaceAsync(current, updated, cancellationToken));

    public Task<bool> TryRemoveAsync(DpCertificate current, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryRemoveAsync(current, cancellationToken));

    public Task<int> RemoveAllAsync(Guid controlPlaneId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveAllAsync(controlPlaneId, cancellationToken));

    /// <summary>Forgets before the write and again after it, so no read started before it is kept.</summary>
    private async Task<T> ForgettingAsync<T>(Func<Task<T>> write)
    {
        Forget();
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            Forget();
        }
    }

    private void Forget()
    {
        Interlocked.Increment(ref _generation);
        _pins.Clear();
    }
}
