using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Access;

/// <summary>
/// Turns a person an identity provider vouched for into a principal. On first sight the person
/// becomes a user: linked to the user the organization admin created with their email, if there is
/// one and it is not linked to someone else yet, otherwise a new user. Their roles are their own,
/// their teams' and those of every team a group of theirs is mapped to.
/// </summary>
public sealed class SignInService(ISignInStore signIns, ITeamStore teams, IIdentityStore identities, TimeProvider clock)
{
    public const int MaxGroupLength = 256;

    public const int MaxGroupsPerTeam = 100;

    /// <summary>The principal; null, with the reason, when the person cannot be signed in.</summary>
    public async Task<(Principal? Principal, string? RefusedBecause)> SignInAsync(SignedInPerson person, CancellationToken cancellationToken)
    {
        var user = await signIns.FindSignedInUserAsync(person.ObjectId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            (user, var refused) = await FirstSightAsync(person, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return (null, refused);
            }
        }
        var member = IdentityRef.User(user.Id);
        var own = identities.ListRolesAsync(member, cancellationToken);
        var joined = teams.ListTeamsOfAsync(member, cancellationToken);
        var mappings = signIns.ListTeamGroupMappingsAsync(cancellationToken);
        await Task.WhenAll(own, joined, mappings).ConfigureAwait(false);
        var groups = person.Groups.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var teamIds = joined.Result
            .Concat(mappings.Result.Where(m => m.Groups.Any(groups.Contains)).Select(m => m.TeamId))
            .Distinct()
            .ToList();
        var teamRoles = await Task.WhenAll(teamIds.Select(team => identities.ListRolesAsync(IdentityRef.Team(team), cancellationToken))).ConfigureAwait(false);
        return (Principal.Of(user, [.. own.Result, .. teamRoles.SelectMany(roles => roles)]), null);
    }

    /// <summary>Konnect's PATCH of team-group mappings: each listed team's groups become those given.</summary>
    public async Task ReplaceMappingsAsync(IReadOnlyList<TeamGroupMapping> mappings, CancellationToken cancellationToken)
    {
        var errors = new List<InvalidParameter>();
        for (var i = 0; i < mappings.Count; i++)
        {
            var groups = mappings[i].Groups;
            if (groups.Count > MaxGroupsPerTeam)
            {
                errors.Add(new InvalidParameter($"data[{i}].groups", $"must have at most {MaxGroupsPerTeam} items", "max_items"));
            }
            for (var g = 0; g < groups.Count; g++)
            {
                if (string.IsNullOrWhiteSpace(groups[g]) || groups[g].Length > MaxGroupLength)
                {
                    errors.Add(new InvalidParameter($"data[{i}].groups[{g}]", $"must be a group's object id or name of 1 to {MaxGroupLength} characters", "length"));
                }
            }
            if (mappings.Take(i).Any(m => m.TeamId == mappings[i].TeamId))
            {
                errors.Add(new InvalidParameter($"data[{i}].team_id", "names a team listed before", "unique"));
            }
        }
        IdentityRules.ThrowIfInvalid([.. errors]);
        foreach (var mapping in mappings)
        {
            if (await teams.FindTeamAsync(mapping.TeamId, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new NotFoundException($"Team [{mapping.TeamId}] not found.");
            }
        }
        foreach (var mapping in mappings)
        {
            await signIns.ReplaceTeamGroupsAsync(mapping.TeamId, [.. mapping.Groups.Distinct(StringComparer.OrdinalIgnoreCase)], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(User? User, string? RefusedBecause)> FirstSightAsync(SignedInPerson person, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(person.Email) || UserService.CheckEmail(person.Email) is not null)
        {
            return (null, "the token carries no usable email (preferred_username) to make a user of");
        }
        if (await signIns.FindUserByEmailAsync(person.Email, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // The organization admin may have created the user, and given it roles, before they first signed in.
            return await signIns.TryLinkAsync(existing.Id, person.ObjectId, cancellationToken).ConfigureAwait(false)
                ? (existing, null)
                : await signIns.FindSignedInUserAsync(person.ObjectId, cancellationToken).ConfigureAwait(false) is { } raced
                    ? (raced, null)
                    : (null, $"the user with email {person.Email} is linked to another person of the identity provider");
        }
        var now = clock.GetUtcNow();
        var name = string.IsNullOrWhiteSpace(person.Name) ? person.Email : person.Name;
        var user = new User(Guid.NewGuid(), person.Email, name.Length > UserService.MaxTextLength ? name[..UserService.MaxTextLength] : name, "", now, now);
        if (await signIns.TryAddSignedInUserAsync(user, person.ObjectId, cancellationToken).ConfigureAwait(false))
        {
            return (user, null);
        }
        // Another request of theirs made the user first, or someone took the email meanwhile.
        return await signIns.FindSignedInUserAsync(person.ObjectId, cancellationToken).ConfigureAwait(false) is { } made
            ? (made, null)
            : (null, $"the email {person.Email} was taken meanwhile");
    }
}
