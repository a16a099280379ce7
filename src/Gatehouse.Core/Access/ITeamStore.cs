namespace Gatehouse.Core.Access;

/// <summary>
/// Where teams and their memberships are kept. A membership is written twice in one transaction, under
/// the team (to list its members) and under the member (to find its teams when its token is presented).
/// </summary>
public interface ITeamStore
{
    Task<IReadOnlyList<Team>> ListTeamsAsync(CancellationToken cancellationToken);

    Task<Team?> FindTeamAsync(Guid teamId, CancellationToken cancellationToken);

    Task AddTeamAsync(Team team, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="current"/> if unchanged since read.</summary>
    Task<IdentityWriteOutcome> TryReplaceTeamAsync(Team current, Team updated, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the team: its memberships first (from then on no member holds its roles), then its role
    /// assignments and the team; false when there is none.
    /// </summary>
    Task<bool> RemoveTeamAsync(Guid teamId, CancellationToken cancellationToken);

    /// <summary>The team's members (system accounts and users), in the order they joined.</summary>
    Task<IReadOnlyList<IdentityRef>> ListMembersAsync(Guid teamId, CancellationToken cancellationToken);

    /// <summary>The ids of the teams the system account or user belongs to.</summary>
    Task<IReadOnlyList<Guid>> ListTeamsOfAsync(IdentityRef member, CancellationToken cancellationToken);

    /// <summary>Adds the member; false (and nothing written) when it belongs to the team already.</summary>
    Task<bool> TryAddMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken);

    /// <summary>Removes the member; false when it did not belong to the team.</summary>
    Task<bool> RemoveMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken);
}
