using Gatehouse.Core.Access;

namespace Gatehouse.Functions.Access;

/// <summary>Users and their personal access tokens: reads pass through, writes forget every remembered holder.</summary>
internal sealed partial class RecentTokenHolders
{
    public Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken) => inner.ListUsersAsync(cancellationToken);

    public Task<User?> FindUserAsync(Guid userId, CancellationToken cancellationToken) => inner.FindUserAsync(userId, cancellationToken);

    public Task<IReadOnlyList<PersonalAccessToken>> ListPersonalTokensAsync(Guid userId, CancellationToken cancellationToken) =>
        inner.ListPersonalTokensAsync(userId, cancellationToken);

    public Task<PersonalAccessToken?> FindPersonalTokenAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken) =>
        inner.FindPersonalTokenAsync(userId, tokenId, cancellationToken);

    public Task<bool> TryAddUserAsync(User user, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryAddUserAsync(user, cancellationToken));

    // The principal's description names the user's email, which does not change; its full name is not remembered.
    public Task<IdentityWriteOutcome> TryReplaceUserAsync(User current, User updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryReplaceUserAsync(current, updated, cancellationToken));

    public Task<bool> RemoveUserAsync(Guid userId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveUserAsync(userId, cancellationToken));

    public Task AddPersonalTokenAsync(PersonalAccessToken token, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.AddPersonalTokenAsync(token, cancellationToken));

    public Task<bool> RenamePersonalTokenAsync(PersonalAccessToken updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RenamePersonalTokenAsync(updated, cancellationToken));

    public Task<bool> RevokePersonalTokenAsync(PersonalAccessToken revoked, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RevokePersonalTokenAsync(revoked, cancellationToken));

    public Task<bool> RemovePersonalTokenAsync(PersonalAccessToken token, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemovePersonalTokenAsync(token, cancellationToken));
}
