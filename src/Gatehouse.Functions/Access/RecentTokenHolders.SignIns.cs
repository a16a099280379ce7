using Gatehouse.Core.Access;

namespace Gatehouse.Functions.Access;

/// <summary>Sign-in links and team-group mappings: reads pass through, writes forget every remembered principal.</summary>
internal sealed partial class RecentTokenHolders
{
    public Task<User?> FindSignedInUserAsync(Guid objectId, CancellationToken cancellationToken) => inner.FindSignedInUserAsync(objectId, cancellationToken);

    public Task<bool> TryAddSignedInUserAsync(User user, Guid objectId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryAddSignedInUserAsync(user, objectId, cancellationToken));

    public Task<User?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) => inner.FindUserByEmailAsync(email, cancellationToken);

    public Task<bool> TryLinkAsync(Guid userId, Guid objectId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryLinkAsync(userId, objectId, cancellationToken));

    public Task<IReadOnlyList<TeamGroupMapping>> ListTeamGroupMappingsAsync(CancellationToken cancellationToken) => inner.ListTeamGroupMappingsAsync(cancellationToken);

    public Task ReplaceTeamGroupsAsync(Guid teamId, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.ReplaceTeamGroupsAsync(teamId, groups, cancellationToken));
}
