using Gatehouse.Azure.Identity;
using Gatehouse.Core.Access;
using Gatehouse.Functions.Caching;

namespace Gatehouse.Functions.Access;

/// <summary>
/// The identity stores as authentication reads them: a token's holder (principal with its effective
/// roles, token) is trusted for at most <see cref="MaxAge"/> before it is read again, so a busy CI job
/// costs one lookup every couple of seconds instead of a handful of storage reads per request. Any
/// identity write made through this process (accounts, users, tokens, teams, memberships, roles)
/// empties it first and again after, so here a revoked or deleted token, a deleted account or user, a
/// removed role, membership or team is refused from the next request on; a change made by another
/// instance is seen within <see cref="MaxAge"/>.
/// </summary>
internal sealed partial class RecentTokenHolders(TableIdentityStore inner, TimeProvider clock) : IIdentityStore, IUserStore, ITeamStore, ISignInStore
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly RecentReads<TokenHolder> _holders = new(MaxAge, clock);
    private readonly RecentReads<Principal> _signedIn = new(MaxAge, clock);

    public Task<TokenHolder?> FindHolderAsync(string tokenHash, CancellationToken cancellationToken) =>
        _holders.GetAsync(tokenHash, () => inner.FindHolderAsync(tokenHash, cancellationToken));

    /// <summary>
    /// A signed-in person's principal, remembered like a token's holder; <paramref name="key"/> names
    /// the person and their groups, since a token with other groups may hold other teams' roles.
    /// </summary>
    public Task<Principal?> SignedInAsync(string key, Func<Task<Principal?>> signIn) => _signedIn.GetAsync(key, signIn);

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<SystemAccount>> ListAccountsAsync(CancellationToken cancellationToken) => inner.ListAccountsAsync(cancellationToken);

    public Task<SystemAccount?> FindAccountAsync(Guid accountId, CancellationToken cancellationToken) => inner.FindAccountAsync(accountId, cancellationToken);

    public Task<IReadOnlyList<AccessToken>> ListTokensAsync(Guid accountId, CancellationToken cancellationToken) => inner.ListTokensAsync(accountId, cancellationToken);

    public Task<AccessToken?> FindTokenAsync(Guid accountId, Guid tokenId, CancellationToken cancellationToken) => inner.FindTokenAsync(accountId, tokenId, cancellationToken);

    public Task<IReadOnlyList<AssignedRole>> ListRolesAsync(IdentityRef owner, CancellationToken cancellationToken) => inner.ListRolesAsync(owner, cancellationToken);

    // A use is no change to who holds what; it leaves what is remembered alone.
    public Task TouchTokenAsync(IdentityRef owner, Guid tokenId, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        inner.TouchTokenAsync(owner, tokenId, usedAt, cancellationToken);

    public Task<bool> TryAddAccountAsync(SystemAccount account, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryAddAccountAsync(account, cancellationToken));

    public Task<IdentityWriteOutcome> TryReplaceAccountAsync(SystemAccount current, SystemAccount updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryReplaceAccountAsync(current, updated, cancellationToken));

    public Task<bool> RemoveAccountAsync(Guid accountId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveAccountAsync(accountId, cancellationToken));

    public Task AddTokenAsync(AccessToken token, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.AddTokenAsync(token, cancellationToken));

    public Task<bool> ReplaceTokenAsync(AccessToken updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.ReplaceTokenAsync(updated, cancellationToken));

    public Task<bool> RemoveTokenAsync(AccessToken token, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveTokenAsync(token, cancellationToken));

    public Task AddRoleAsync(IdentityRef owner, AssignedRole role, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.AddRoleAsync(owner, role, cancellationToken));

    public Task<bool> RemoveRoleAsync(IdentityRef owner, Guid roleId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveRoleAsync(owner, roleId, cancellationToken));

    private Task<TResult> ForgettingAsync<TResult>(Func<Task<TResult>> write) => _signedIn.ForgettingAsync(() => _holders.ForgettingAsync(write));

    private Task ForgettingAsync(Func<Task> write) => _signedIn.ForgettingAsync(() => _holders.ForgettingAsync(write));
}
