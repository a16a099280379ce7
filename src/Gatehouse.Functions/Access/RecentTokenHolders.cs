using System.Collections.Concurrent;
using Gatehouse.Core.Access;

namespace Gatehouse.Functions.Access;

/// <summary>
/// The identity store as authentication reads it: a token's holder (account, token, roles) is
/// trusted for at most <see cref="MaxAge"/> before it is read again, so a busy CI job costs one
/// lookup every couple of seconds instead of four storage reads per request. Any identity write made
/// through this process empties it first and again after, so here a deleted token, a deleted account
/// or a removed role is refused from the next request on; a change made by another instance is seen
/// within <see cref="MaxAge"/>.
/// </summary>
internal sealed class RecentTokenHolders(IIdentityStore inner, TimeProvider clock) : IIdentityStore
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (TokenHolder Holder, DateTimeOffset ReadAt)> _holders = new(StringComparer.Ordinal);
    private long _generation;

    public async Task<TokenHolder?> FindHolderAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_holders.TryGetValue(tokenHash, out var recent) && now - recent.ReadAt < MaxAge)
        {
            return recent.Holder;
        }
        // A write that lands while this read is out must not be undone by keeping what it found.
        var generation = Interlocked.Read(ref _generation);
        var holder = await inner.FindHolderAsync(tokenHash, cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            _holders.TryRemove(tokenHash, out _);
        }
        else if (Interlocked.Read(ref _generation) == generation)
        {
            _holders[tokenHash] = (holder, now);
        }
        return holder;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<SystemAccount>> ListAccountsAsync(CancellationToken cancellationToken) => inner.ListAccountsAsync(cancellationToken);

    public Task<SystemAccount?> FindAccountAsync(Guid accountId, CancellationToken cancellationToken) => inner.FindAccountAsync(accountId, cancellationToken);

    public Task<IReadOnlyList<AccessToken>> ListTokensAsync(Guid accountId, CancellationToken cancellationToken) => inner.ListTokensAsync(accountId, cancellationToken);

    public Task<AccessToken?> FindTokenAsync(Guid accountId, Guid tokenId, CancellationToken cancellationToken) => inner.FindTokenAsync(accountId, tokenId, cancellationToken);

    public Task<IReadOnlyList<AssignedRole>> ListRolesAsync(Guid accountId, CancellationToken cancellationToken) => inner.ListRolesAsync(accountId, cancellationToken);

    // A use is no change to who holds what; it leaves what is remembered alone.
    public Task TouchTokenAsync(AccessToken token, DateTimeOffset usedAt, CancellationToken cancellationToken) => inner.TouchTokenAsync(token, usedAt, cancellationToken);

    public Task<bool> TryAddAccountAsync(SystemAccount account, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryAddAccountAsync(account, cancellationToken));

    public Task<IdentityWriteOutcome> TryReplaceAccountAsync(SystemAccount current, SystemAccount updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryReplaceAccountAsync(current, updated, cancellationToken));

    public Task<bool> RemoveAccountAsync(Guid accountId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveAccountAsync(accountId, cancellationToken));

    public Task AddTokenAsync(AccessToken token, CancellationToken cancellationToken) =>
        ForgettingAsync(async () => { await inner.AddTokenAsync(token, cancellationToken).ConfigureAwait(false); return true; });

    public Task<bool> ReplaceTokenAsync(AccessToken updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.ReplaceTokenAsync(updated, cancellationToken));

    public Task<bool> RemoveTokenAsync(AccessToken token, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveTokenAsync(token, cancellationToken));

    public Task AddRoleAsync(Guid accountId, AssignedRole role, CancellationToken cancellationToken) =>
        ForgettingAsync(async () => { await inner.AddRoleAsync(accountId, role, cancellationToken).ConfigureAwait(false); return true; });

    public Task<bool> RemoveRoleAsync(Guid accountId, Guid roleId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveRoleAsync(accountId, roleId, cancellationToken));

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
        _holders.Clear();
    }
}
