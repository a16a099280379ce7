namespace Gatehouse.Core.Access;

/// <summary>
/// What signing people in needs kept: which user each identity provider object id is (the link is
/// made on first sight and never moves), and the team-group mappings.
/// </summary>
public interface ISignInStore
{
    /// <summary>The user the object id was linked to; null on first sight (or when that user was deleted).</summary>
    Task<User?> FindSignedInUserAsync(Guid objectId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="user"/> linked to the object id, in one transaction; false (nothing written)
    /// when its email is another user's or the object id is linked already.
    /// </summary>
    Task<bool> TryAddSignedInUserAsync(User user, Guid objectId, CancellationToken cancellationToken);

    /// <summary>The user whose email this is, whatever its letter case; null when none.</summary>
    Task<User?> FindUserByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// Links an existing user to the object id; false when the user is linked to another object id
    /// already, or the object id to another user.
    /// </summary>
    Task<bool> TryLinkAsync(Guid userId, Guid objectId, CancellationToken cancellationToken);

    /// <summary>Every team that has groups, oldest first.</summary>
    Task<IReadOnlyList<TeamGroupMapping>> ListTeamGroupMappingsAsync(CancellationToken cancellationToken);

    /// <summary>Sets the team's groups (none removes its mapping).</summary>
    Task ReplaceTeamGroupsAsync(Guid teamId, IReadOnlyList<string> groups, CancellationToken cancellationToken);
}
