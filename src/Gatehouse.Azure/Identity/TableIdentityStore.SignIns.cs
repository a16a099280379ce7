using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Access;

namespace Gatehouse.Azure.Identity;

/// <summary>
/// Signed-in people: <c>signin:{object id}</c> names the user the identity provider's person is, and
/// the user's row carries the object id back (<c>SignInObjectId</c>), so that either side finds the
/// other and a user is linked to one person at most. Team-group mappings: <c>teamgroups:{team}</c>.
/// </summary>
public sealed partial class TableIdentityStore : ISignInStore
{
    private const string SignInPrefix = "signin:";
    private const string TeamGroupsPrefix = "teamgroups:";
    private const string SignInObjectIdProperty = "SignInObjectId";

    public async Task<User?> FindSignedInUserAsync(Guid objectId, CancellationToken cancellationToken) =>
        await FindAsync(SignInPrefix + objectId, cancellationToken).ConfigureAwait(false) is { } link
        && Guid.TryParse(link.GetString("UserId"), out var userId)
            ? await FindUserAsync(userId, cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<bool> TryAddSignedInUserAsync(User user, Guid objectId, CancellationToken cancellationToken)
    {
        var row = WriteUser(user);
        row[SignInObjectIdProperty] = objectId.ToString();
        return await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Add, row),
            new(TableTransactionActionType.Add, EmailRow(user)),
            new(TableTransactionActionType.Add, SignInRow(objectId, user.Id)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;
    }

    public async Task<User?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        await FindAsync(EmailRow(new User(Guid.Empty, email, "", "", default, default)).RowKey, cancellationToken).ConfigureAwait(false) is { } index
        && Guid.TryParse(index.GetString("UserId"), out var userId)
            ? await FindUserAsync(userId, cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<bool> TryLinkAsync(Guid userId, Guid objectId, CancellationToken cancellationToken)
    {
        if (await FindAsync(UserPrefix + userId, cancellationToken).ConfigureAwait(false) is not { } row
            || row.GetString(SignInObjectIdProperty) is { Length: > 0 })
        {
            return false;
        }
        // The user's row, unchanged since read, and the new link: both or neither.
        var linked = new TableEntity(Partition, row.RowKey) { [SignInObjectIdProperty] = objectId.ToString() };
        return await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.UpdateMerge, linked, row.ETag),
            new(TableTransactionActionType.Add, SignInRow(objectId, userId)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;
    }

    public async Task<IReadOnlyList<TeamGroupMapping>> ListTeamGroupMappingsAsync(CancellationToken cancellationToken)
    {
        var mappings = new List<(TeamGroupMapping Mapping, DateTimeOffset? At)>();
        await foreach (var row in RowsUnder(TeamGroupsPrefix, cancellationToken).ConfigureAwait(false))
        {
            var groups = JsonSerializer.Deserialize<string[]>(row.GetString("Groups") ?? "[]") ?? [];
            mappings.Add((new TeamGroupMapping(Guid.Parse(row.RowKey.AsSpan(TeamGroupsPrefix.Length)), groups), row.GetDateTimeOffset("CreatedAt")));
        }
        return [.. mappings.OrderBy(m => m.At).ThenBy(m => m.Mapping.TeamId).Select(m => m.Mapping)];
    }

    public async Task ReplaceTeamGroupsAsync(Guid teamId, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            await DeleteAsync(TeamGroupsPrefix + teamId, cancellationToken).ConfigureAwait(false);
            return;
        }
        var existing = await FindAsync(TeamGroupsPrefix + teamId, cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(new TableEntity(Partition, TeamGroupsPrefix + teamId)
        {
            ["Groups"] = JsonSerializer.Serialize(groups),
            ["CreatedAt"] = existing?.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UtcNow,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The link of the user whose row this is, if it has one.</summary>
    private async Task RemoveSignInLinkAsync(TableEntity userRow, CancellationToken cancellationToken)
    {
        if (userRow.GetString(SignInObjectIdProperty) is { Length: > 0 } objectId)
        {
            await DeleteAsync(SignInPrefix + objectId, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task RemoveTeamGroupsAsync(Guid teamId, CancellationToken cancellationToken) => DeleteAsync(TeamGroupsPrefix + teamId, cancellationToken);

    private static TableEntity SignInRow(Guid objectId, Guid userId) => new(Partition, SignInPrefix + objectId) { ["UserId"] = userId.ToString() };
}
