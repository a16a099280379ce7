using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Access;

namespace Gatehouse.Azure.Identity;

/// <summary>
/// Teams: <c>team:{id}</c>; a membership is two rows written together, <c>member:{team}:{kind}:{id}</c>
/// (a team's members, one range) and <c>memberof:{kind}:{id}:{team}</c> (a member's teams, one range,
/// which is what authentication reads). Removals delete the <c>memberof</c> row first.
/// </summary>
public sealed partial class TableIdentityStore
{
    private const string TeamPrefix = "team:";
    private const string MemberPrefix = "member:";
    private const string MemberOfPrefix = "memberof:";

    public async Task<IReadOnlyList<Team>> ListTeamsAsync(CancellationToken cancellationToken)
    {
        var teams = new List<Team>();
        await foreach (var row in RowsUnder(TeamPrefix, cancellationToken).ConfigureAwait(false))
        {
            teams.Add(ReadTeam(row));
        }
        return [.. teams.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)];
    }

    public async Task<Team?> FindTeamAsync(Guid teamId, CancellationToken cancellationToken) =>
        await FindAsync(TeamPrefix + teamId, cancellationToken).ConfigureAwait(false) is { } row ? ReadTeam(row) : null;

    public async Task AddTeamAsync(Team team, CancellationToken cancellationToken) =>
        await _table.AddEntityAsync(WriteTeam(team), cancellationToken).ConfigureAwait(false);

    public async Task<IdentityWriteOutcome> TryReplaceTeamAsync(Team current, Team updated, CancellationToken cancellationToken)
    {
        var version = current.Version is { } v ? new ETag(v) : throw new ArgumentException("The team was not read from the store.", nameof(current));
        return await _table.SubmitGuardedAsync([new(TableTransactionActionType.UpdateReplace, WriteTeam(updated), version)], cancellationToken).ConfigureAwait(false)
            == GuardedOutcome.Committed ? IdentityWriteOutcome.Committed : IdentityWriteOutcome.Stale;
    }

    public async Task<bool> RemoveTeamAsync(Guid teamId, CancellationToken cancellationToken)
    {
        if (await FindTeamAsync(teamId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        // Its groups first, as its memberships: from then on nobody holds its roles through them.
        await RemoveTeamGroupsAsync(teamId, cancellationToken).ConfigureAwait(false);
        foreach (var member in await ListMembersAsync(teamId, cancellationToken).ConfigureAwait(false))
        {
            await RemoveMemberAsync(teamId, member, cancellationToken).ConfigureAwait(false);
        }
        var team = IdentityRef.Team(teamId);
        foreach (var role in await ListRolesAsync(team, cancellationToken).ConfigureAwait(false))
        {
            await DeleteAsync(RolePrefixOf(team) + role.Id, cancellationToken).ConfigureAwait(false);
        }
        await DeleteAsync(TeamPrefix + teamId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<IdentityRef>> ListMembersAsync(Guid teamId, CancellationToken cancellationToken)
    {
        var members = new List<(IdentityRef Member, DateTimeOffset? At)>();
        var prefix = $"{MemberPrefix}{teamId}:";
        await foreach (var row in RowsUnder(prefix, cancellationToken).ConfigureAwait(false))
        {
            var parts = row.RowKey[prefix.Length..].Split(':');
            members.Add((new IdentityRef(KindOf(parts[0]), Guid.Parse(parts[1])), row.Timestamp));
        }
        return [.. members.OrderBy(m => m.At).ThenBy(m => m.Member.Id).Select(m => m.Member)];
    }

    public async Task<IReadOnlyList<Guid>> ListTeamsOfAsync(IdentityRef member, CancellationToken cancellationToken)
    {
        var teams = new List<Guid>();
        var prefix = MemberOfPrefixOf(member);
        await foreach (var row in RowsUnder(prefix, cancellationToken, ["RowKey"]).ConfigureAwait(false))
        {
            teams.Add(Guid.Parse(row.RowKey.AsSpan(prefix.Length)));
        }
        return teams;
    }

    public async Task<bool> TryAddMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken) =>
        await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity(Partition, MemberKey(teamId, member))),
            new(TableTransactionActionType.Add, new TableEntity(Partition, MemberOfPrefixOf(member) + teamId)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;

    public async Task<bool> RemoveMemberAsync(Guid teamId, IdentityRef member, CancellationToken cancellationToken)
    {
        var belonged = await FindAsync(MemberKey(teamId, member), cancellationToken).ConfigureAwait(false) is not null;
        // What authentication reads first: from here on the member holds none of the team's roles.
        await DeleteAsync(MemberOfPrefixOf(member) + teamId, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(MemberKey(teamId, member), cancellationToken).ConfigureAwait(false);
        return belonged;
    }

    private static string MemberKey(Guid teamId, IdentityRef member) => $"{MemberPrefix}{teamId}:{TagOf(member.Kind)}:{member.Id}";

    private static string MemberOfPrefixOf(IdentityRef member) => $"{MemberOfPrefix}{TagOf(member.Kind)}:{member.Id}:";

    private static string TagOf(IdentityKind kind) => kind switch
    {
        IdentityKind.SystemAccount => "sa",
        IdentityKind.User => "user",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only system accounts and users belong to teams."),
    };

    private static IdentityKind KindOf(string tag) => tag == "sa" ? IdentityKind.SystemAccount : IdentityKind.User;

    private static TableEntity WriteTeam(Team team) => new(Partition, TeamPrefix + team.Id)
    {
        ["Name"] = team.Name,
        ["Description"] = team.Description,
        ["Labels"] = JsonSerializer.Serialize(team.Labels),
        ["CreatedAt"] = team.CreatedAt,
        ["UpdatedAt"] = team.UpdatedAt,
    };

    private static Team ReadTeam(TableEntity row) => new(
        Guid.Parse(row.RowKey.AsSpan(TeamPrefix.Length)),
        row.GetString("Name"), row.GetString("Description") ?? "",
        row.GetString("Labels") is { } labels ? JsonSerializer.Deserialize<Dictionary<string, string>>(labels) ?? [] : [],
        row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("UpdatedAt") ?? default)
    {
        Version = row.ETag.ToString(),
    };
}
