namespace Gatehouse.Core.Access;

/// <summary>
/// Where system accounts, their tokens and the role assignments of every identity are kept. A token
/// (<c>spat_</c> or <c>kpat_</c>) is stored with its hash and found by it in one read; removing or
/// revoking a token, or removing its owner, removes that index first, so from that moment the token
/// authenticates nowhere that reads the store. Users are <see cref="IUserStore"/>'s, teams <see cref="ITeamStore"/>'s.
/// </summary>
public interface IIdentityStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<SystemAccount>> ListAccountsAsync(CancellationToken cancellationToken);

    Task<SystemAccount?> FindAccountAsync(Guid accountId, CancellationToken cancellationToken);

    /// <summary>Adds the account; false (and nothing written) when its name is taken.</summary>
    Task<bool> TryAddAccountAsync(SystemAccount account, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="current"/> if unchanged since read; <see cref="IdentityWriteOutcome.Taken"/> when the new name is another's.</summary>
    Task<IdentityWriteOutcome> TryReplaceAccountAsync(SystemAccount current, SystemAccount updated, CancellationToken cancellationToken);

    /// <summary>Removes the account with its tokens (their index first), team memberships and role assignments; false when there is none.</summary>
    Task<bool> RemoveAccountAsync(Guid accountId, CancellationToken cancellationToken);

    /// <summary>The account's tokens, oldest first.</summary>
    Task<IReadOnlyList<AccessToken>> ListTokensAsync(Guid accountId, CancellationToken cancellationToken);

    Task<AccessToken?> FindTokenAsync(Guid accountId, Guid tokenId, CancellationToken cancellationToken);

    /// <summary>Adds the token and its hash index together.</summary>
    Task AddTokenAsync(AccessToken token, CancellationToken cancellationToken);

    /// <summary>Renames a token; false when it is gone.</summary>
    Task<bool> ReplaceTokenAsync(AccessToken updated, CancellationToken cancellationToken);

    /// <summary>Removes the token and its hash index together; false when it is gone.</summary>
    Task<bool> RemoveTokenAsync(AccessToken token, CancellationToken cancellationToken);

    /// <summary>Notes when a system account's or user's token was last used; nothing when it is gone.</summary>
    Task TouchTokenAsync(IdentityRef owner, Guid tokenId, DateTimeOffset usedAt, CancellationToken cancellationToken);

    /// <summary>
    /// The holder of the token with this hash (lowercase hex SHA-256), with its effective roles (its
    /// own and its teams'); null when no token has it.
    /// </summary>
    Task<TokenHolder?> FindHolderAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>The roles assigned to a system account, user or team itself, oldest first.</summary>
    Task<IReadOnlyList<AssignedRole>> ListRolesAsync(IdentityRef owner, CancellationToken cancellationToken);

    Task AddRoleAsync(IdentityRef owner, AssignedRole role, CancellationToken cancellationToken);

    /// <summary>Removes the assignment; false when it is gone.</summary>
    Task<bool> RemoveRoleAsync(IdentityRef owner, Guid roleId, CancellationToken cancellationToken);
}

public enum IdentityWriteOutcome
{
    Committed,
    Stale,
    Taken,
}
