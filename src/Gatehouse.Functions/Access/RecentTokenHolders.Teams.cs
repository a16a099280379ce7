using Gatehouse.Core.Access;

namespace Gatehouse.Functions.Access;

/// <summary>Teams and memberships: reads pass through, writes forget every remembered holder (a team's roles are its members').</summary>
internal sealed partial class RecentTokenHolders
{
    public Task<IReadOnlyList<Team>> ListTeamsAsync(CancellationToken cancellationToken) => inner.ListTeamsAsync(cancellationToken);

    public Task<Team?> FindTeamAsync(Guid teamId, CancellationToken cancellationToken) => inner.FindTeamAsync(teamId, cancellationToken);

    public Task<IReadOnlyList<IdentityRef>> ListMembersAsync(Guid teamId, CancellationToken cancellationToken) => inner.ListMembersAsync(teamId, cancellationToken);

    public Task<IReadOnlyList<Guid>> ListTeamsOfAsync(IdentityRef member, CancellationToken cancellationToken) => inner.ListTeamsOfAsync(member, cancellationToken);

    public Task AddTeamAsync(Team team, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.AddTeamAsync(team, cancellationToken));

    public Task<IdentityWriteOutcome> TryReplaceTeamAsync(Team current, Team updated, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryReplaceTeamAsync(current, updated, cancellationToken));

    public Task<bool> RemoveTeamAsync(Guid teamId, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveTeamAsync(teamId, cancellationToken));

    public Task<bool> TryAddMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.TryAddMemberAsync(teamId, member, cancellationToken));

    public Task<bool> RemoveMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken) =>
        ForgettingAsync(() => inner.RemoveMemberAsync(teamId, member, cancellationToken));
}
