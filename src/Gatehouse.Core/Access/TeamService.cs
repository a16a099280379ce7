using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Access;

/// <summary>Teams and their members: the rules, over the identity stores. Their roles are <see cref="RoleAssignments"/>'s.</summary>
public sealed class TeamService(ITeamStore teams, IUserStore users, IIdentityStore identities, TimeProvider clock)
{
    public const int MaxTextLength = 250;

    public async Task<Team> CreateAsync(string name, string? description, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        Check(name, description, labels);
        var now = clock.GetUtcNow();
        var team = new Team(Guid.NewGuid(), name, description ?? "", labels ?? new Dictionary<string, string>(), now, now);
        await teams.AddTeamAsync(team, cancellationToken).ConfigureAwait(false);
        return team;
    }

    public async Task<Team> GetAsync(Guid teamId, CancellationToken cancellationToken) =>
        await teams.FindTeamAsync(teamId, cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException($"Team [{teamId}] not found.");

    public Task<IReadOnlyList<Team>> ListAsync(CancellationToken cancellationToken) => teams.ListTeamsAsync(cancellationToken);

    /// <summary>Changes what is given; labels given replace the team's labels.</summary>
    public async Task<Team> UpdateAsync(Guid teamId, string? name, string? description, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        Check(name, description, labels);
        var current = await GetAsync(teamId, cancellationToken).ConfigureAwait(false);
        var updated = current with
        {
            Name = name ?? current.Name,
            Description = description ?? current.Description,
            Labels = labels ?? current.Labels,
            UpdatedAt = clock.GetUtcNow(),
        };
        return await teams.TryReplaceTeamAsync(current, updated, cancellationToken).ConfigureAwait(false) == IdentityWriteOutcome.Committed
            ? updated
            : throw new ConflictException($"Team [{teamId}] changed meanwhile; retry.");
    }

    public async Task DeleteAsync(Guid teamId, CancellationToken cancellationToken)
    {
        if (!await teams.RemoveTeamAsync(teamId, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"Team [{teamId}] not found.");
        }
    }

    /// <summary>The team's users, in the order they joined.</summary>
    public async Task<IReadOnlyList<User>> ListUsersAsync(Guid teamId, CancellationToken cancellationToken) =>
        await MembersAsync(teamId, IdentityKind.User, users.FindUserAsync, cancellationToken).ConfigureAwait(false);

    /// <summary>The team's system accounts, in the order they joined.</summary>
    public async Task<IReadOnlyList<SystemAccount>> ListSystemAccountsAsync(Guid teamId, CancellationToken cancellationToken) =>
        await MembersAsync(teamId, IdentityKind.SystemAccount, identities.FindAccountAsync, cancellationToken).ConfigureAwait(false);

    /// <summary>Adds a user or system account, which must exist, to the team; 409 when it belongs already.</summary>
    public async Task AddMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken)
    {
        await GetAsync(teamId, cancellationToken).ConfigureAwait(false);
        await ThrowIfMissingAsync(member, cancellationToken).ConfigureAwait(false);
        if (!await teams.TryAddMemberAsync(teamId, member, cancellationToken).ConfigureAwait(false))
        {
            throw new ConflictException($"{Capitalized(member)} is already a member of team [{teamId}].");
        }
    }

    public async Task RemoveMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken)
    {
        await GetAsync(teamId, cancellationToken).ConfigureAwait(false);
        await ThrowIfMissingAsync(member, cancellationToken).ConfigureAwait(false);
        if (!await teams.RemoveMemberAsync(teamId, member, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"{Capitalized(member)} is not a member of team [{teamId}].");
        }
    }

    /// <summary>The teams a user or system account, which must exist, belongs to.</summary>
    public async Task<IReadOnlyList<Team>> ListTeamsOfAsync(IdentityRef member, CancellationToken cancellationToken)
    {
        await ThrowIfMissingAsync(member, cancellationToken).ConfigureAwait(false);
        var found = new List<Team>();
        foreach (var teamId in await teams.ListTeamsOfAsync(member, cancellationToken).ConfigureAwait(false))
        {
            // A team being removed loses its memberships before it goes; one read between the two is skipped.
            if (await teams.FindTeamAsync(teamId, cancellationToken).ConfigureAwait(false) is { } team)
            {
                found.Add(team);
            }
        }
        return [.. found.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)];
    }

    private async Task<IReadOnlyList<T>> MembersAsync<T>(
        Guid teamId, IdentityKind kind, Func<Guid, CancellationToken, Task<T?>> find, CancellationToken cancellationToken) where T : class
    {
        await GetAsync(teamId, cancellationToken).ConfigureAwait(false);
        var found = new List<T>();
        foreach (var member in (await teams.ListMembersAsync(teamId, cancellationToken).ConfigureAwait(false)).Where(m => m.Kind == kind))
        {
            // A member being removed loses its memberships after it goes; one read between the two is skipped.
            if (await find(member.Id, cancellationToken).ConfigureAwait(false) is { } value)
            {
                found.Add(value);
            }
        }
        return found;
    }

    private async Task ThrowIfMissingAsync(IdentityRef member, CancellationToken cancellationToken)
    {
        var exists = member.Kind switch
        {
            IdentityKind.User => await users.FindUserAsync(member.Id, cancellationToken).ConfigureAwait(false) is not null,
            IdentityKind.SystemAccount => await identities.FindAccountAsync(member.Id, cancellationToken).ConfigureAwait(false) is not null,
            _ => false,
        };
        if (!exists)
        {
            throw new NotFoundException($"{Capitalized(member)} not found.");
        }
    }

    private static string Capitalized(IdentityRef identity)
    {
        var described = RoleAssignments.Describe(identity);
        return char.ToUpperInvariant(described[0]) + described[1..];
    }

    private static void Check(string? name, string? description, IReadOnlyDictionary<string, string>? labels)
    {
        var errors = new List<InvalidParameter>();
        if (name is not null && IdentityRules.CheckText("name", name, 1, MaxTextLength) is { } badName)
        {
            errors.Add(badName);
        }
        if (description is not null && IdentityRules.CheckText("description", description, 0, MaxTextLength) is { } badDescription)
        {
            errors.Add(badDescription);
        }
        if (labels is not null)
        {
            ControlPlaneRules.CheckLabels(labels, errors);
        }
        IdentityRules.ThrowIfInvalid([.. errors]);
    }
}
