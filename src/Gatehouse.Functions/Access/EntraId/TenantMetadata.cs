using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gatehouse.Functions.Access.EntraId;

/// <summary>
/// The tenant's OpenID Connect metadata, and so its signing keys: read on first use, kept for
/// <see cref="MaxAge"/>, and read again when a token names a key it lacks (Entra rolls its keys),
/// at most once per <see cref="ForcedRefreshInterval"/> so that tokens naming made-up keys cannot
/// make every request fetch it. One read at a time; a failed read keeps what was read before.
/// </summary>
internal sealed class TenantMetadata(Uri address, IDocumentRetriever retriever, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);

    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private OpenIdConnectConfiguration? _current;
    private DateTimeOffset _readAt;
    private DateTimeOffset _forcedAt = DateTimeOffset.MinValue;

    /// <summary>The metadata; null when it has never been read and cannot be now.</summary>
    public async Task<OpenIdConnectConfiguration?> GetAsync(CancellationToken cancellationToken) =>
        Fresh(clock.GetUtcNow()) ?? await ReadAsync(force: false, cancellationToken);

    /// <summary>The metadata read again, if the last forced read was long enough ago; otherwise what is held.</summary>
    public async Task<OpenIdConnectConfiguration?> RefreshAsync(CancellationToken cancellationToken) =>
        clock.GetUtcNow() - _forcedAt < ForcedRefreshInterval ? _current : await ReadAsync(force: true, cancellationToken);

    private OpenIdConnectConfiguration? Fresh(DateTimeOffset now) => _current is { } held && now - _readAt < MaxAge ? held : null;

    private async Task<OpenIdConnectConfiguration?> ReadAsync(bool force, CancellationToken cancellationToken)
    {
        var asked = clock.GetUtcNow();
        await _reading.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have read it while this one waited.
            if ((force ? (_readAt > asked ? _current : null) : Fresh(clock.GetUtcNow())) is { } read)
            {
                return read;
            }
            if (force)
            {
                _forcedAt = clock.GetUtcNow();
            }
            try
            {
                _current = await OpenIdConnectConfigurationRetriever.GetAsync(address.ToString(), retriever, cancellationToken);
                _readAt = clock.GetUtcNow();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the keys held: an unreachable metadata endpoint must not refuse tokens they verify.
            }
            return _current;
        }
        finally
        {
            _reading.Release();
        }
    }
}
