namespace Gatehouse.Core.Access;

/// <summary>Where users and their personal access tokens are kept; their tokens are found by hash through <see cref="IIdentityStore.FindHolderAsync"/>.</summary>
public interface IUserStore
{
    Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken);

    Task<User?> FindUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Adds the user; false (and nothing written) when the email is taken, whatever its letter case.</summary>
    Task<bool> TryAddUserAsync(User user, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="current"/> if unchanged since read.</summary>
    Task<IdentityWriteOutcome> TryReplaceUserAsync(User current, User updated, CancellationToken cancellationToken);

    /// <summary>Removes the user with its tokens (their index first), team memberships and role assignments; false when there is none.</summary>
    Task<bool> RemoveUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The user's tokens, revoked and expired ones too, oldest first.</summary>
    Task<IReadOnlyList<PersonalAccessToken>> ListPersonalTokensAsync(Guid userId, CancellationToken cancellationToken);

    Task<PersonalAccessToken?> FindPersonalTokenAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken);

    /// <summary>Adds the token and its hash index together.</summary>
    Task AddPersonalTokenAsync(PersonalAccessToken token, CancellationToken cancellationToken);

    /// <summary>Renames a token; false when it is gone.</summary>
    Task<bool> RenamePersonalTokenAsync(PersonalAccessToken updated, CancellationToken cancellationToken);

    /// <summary>Removes the hash index and marks the token revoked, together; false when it is gone or was revoked already.</summary>
    Task<bool> RevokePersonalTokenAsync(PersonalAccessToken revoked, CancellationToken cancellationToken);

    /// <summary>Removes the token and its hash index (if it still has one); false when it is gone.</summary>
    Task<bool> RemovePersonalTokenAsync(PersonalAccessToken token, CancellationToken cancellationToken);
}
