using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Access;

namespace Gatehouse.Azure.Identity;

/// <summary>
/// System accounts, users and teams in one table partition, so that every index is written in the
/// same entity-group transaction as the row it indexes:
/// <list type="bullet">
/// <item><c>account:{id}</c>, and <c>accountname:{sha256(name)}</c> keeping names unique;</item>
/// <item><c>token:{account}:{id}</c> (name, hash, expiry, last use), and <c>tokenhash:{sha256}</c>
/// naming the token, which is how a presented token is found: one point read;</item>
/// <item><c>role:{account}:{id}</c>, <c>role:user:{user}:{id}</c>, <c>role:team:{team}:{id}</c>: the
/// role assignments of each, one range of keys;</item>
/// <item>users, their personal access tokens (TableIdentityStore.Users.cs) and teams with their
/// memberships (TableIdentityStore.Teams.cs).</item>
/// </list>
/// The partition holds a few rows per identity, far below a partition's throughput, and
/// authentication is cached in front of it (see the Functions app's RecentTokenHolders).
/// </summary>
public sealed partial class TableIdentityStore(TableServiceClient tables, StorageLayout layout) : IIdentityStore, IUserStore, ITeamStore
{
    private const string Partition = "sa";
    private const string AccountPrefix = "account:";
    private const string AccountNamePrefix = "accountname:";
    private const string TokenPrefix = "token:";
    private const string TokenHashPrefix = "tokenhash:";
    private const string RolePrefix = "role:";

    private readonly TableClient _table = tables.GetTableClient(layout.IdentityTable);

    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<SystemAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        var accounts = new List<SystemAccount>();
        await foreach (var row in RowsUnder(AccountPrefix, cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(ReadAccount(row));
        }
        return [.. accounts.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)];
    }

    public async Task<SystemAccount?> FindAccountAsync(Guid accountId, CancellationToken cancellationToken) =>
        await FindAsync(AccountPrefix + accountId, cancellationToken).ConfigureAwait(false) is { } row ? ReadAccount(row) : null;

    public async Task<bool> TryAddAccountAsync(SystemAccount account, CancellationToken cancellationToken) =>
        await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Add, WriteAccount(account)),
            new(TableTransactionActionType.Add, NameRow(account)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;

    public async Task<IdentityWriteOutcome> TryReplaceAccountAsync(SystemAccount current, SystemAccount updated, CancellationToken cancellationToken)
    {
        var version = current.Version is { } v ? new ETag(v) : throw new ArgumentException("The account was not read from the store.", nameof(current));
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, WriteAccount(updated), version) };
        if (current.Name != updated.Name)
        {
            actions.Add(new(TableTransactionActionType.Delete, NameRow(current)));
            actions.Add(new(TableTransactionActionType.Add, NameRow(updated)));
        }
        return await _table.SubmitGuardedAsync(actions, cancellationToken).ConfigureAwait(false) switch
        {
            GuardedOutcome.Committed => IdentityWriteOutcome.Committed,
            GuardedOutcome.Taken => IdentityWriteOutcome.Taken,
            _ => IdentityWriteOutcome.Stale,
        };
    }

    public async Task<bool> RemoveAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        if (await FindAccountAsync(accountId, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return false;
        }
        var tokens = await ListTokensAsync(accountId, cancellationToken).ConfigureAwait(false);
        // The hash index first: from here on none of the account's tokens authenticates, whatever
        // happens to the rest of this removal (a crash leaves rows that nothing can reach).
        foreach (var token in tokens)
        {
            await DeleteAsync(TokenHashPrefix + token.Hash, cancellationToken).ConfigureAwait(false);
        }
        await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Delete, new TableEntity(Partition, AccountPrefix + accountId), ETag.All),
            new(TableTransactionActionType.Delete, NameRow(account), ETag.All),
        ], cancellationToken).ConfigureAwait(false);
        foreach (var token in tokens)
        {
            await DeleteAsync(TokenKey(accountId, token.Id), cancellationToken).ConfigureAwait(false);
        }
        await RemoveMembershipsAndRolesAsync(IdentityRef.SystemAccount(accountId), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<AccessToken>> ListTokensAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var tokens = new List<AccessToken>();
        await foreach (var row in RowsUnder($"{TokenPrefix}{accountId}:", cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(ReadToken(row));
        }
        return [.. tokens.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)];
    }

    public async Task<AccessToken?> FindTokenAsync(Guid accountId, Guid tokenId, CancellationToken cancellationToken) =>
        await FindAsync(TokenKey(accountId, tokenId), cancellationToken).ConfigureAwait(false) is { } row ? ReadToken(row) : null;

    public async Task AddTokenAsync(AccessToken token, CancellationToken cancellationToken) =>
        await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, WriteToken(token)),
            new(TableTransactionActionType.Add, new TableEntity(Partition, TokenHashPrefix + token.Hash)
            {
                ["AccountId"] = token.AccountId.ToString(),
                ["TokenId"] = token.Id.ToString(),
            }),
        ], cancellationToken).ConfigureAwait(false);

    public async Task<bool> ReplaceTokenAsync(AccessToken updated, CancellationToken cancellationToken)
    {
        try
        {
            // Merge: a concurrent last-use note is kept, and a token that is gone is not brought back.
            var row = new TableEntity(Partition, TokenKey(updated.AccountId, updated.Id)) { ["Name"] = updated.Name, ["UpdatedAt"] = updated.UpdatedAt };
            await _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<bool> RemoveTokenAsync(AccessToken token, CancellationToken cancellationToken) =>
        await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Delete, new TableEntity(Partition, TokenHashPrefix + token.Hash), ETag.All),
            new(TableTransactionActionType.Delete, new TableEntity(Partition, TokenKey(token.AccountId, token.Id)), ETag.All),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;

    public async Task TouchTokenAsync(IdentityRef owner, Guid tokenId, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        try
        {
            var key = owner.Kind == IdentityKind.User ? PersonalTokenKey(owner.Id, tokenId) : TokenKey(owner.Id, tokenId);
            await _table.UpdateEntityAsync(new TableEntity(Partition, key) { ["LastUsedAt"] = usedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Removed meanwhile: there is nothing left to note the use on.
        }
    }

    public async Task<TokenHolder?> FindHolderAsync(string tokenHash, CancellationToken cancellationToken)
    {
        // Anything but 64 lowercase hex digits is no hash; it must not become a key either.
        if (tokenHash.Length != 64 || !tokenHash.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        if (await FindAsync(TokenHashPrefix + tokenHash, cancellationToken).ConfigureAwait(false) is not { } index
            || !Guid.TryParse(index.GetString("TokenId"), out var tokenId))
        {
            return null;
        }
        if (Guid.TryParse(index.GetString("UserId"), out var userId))
        {
            return await FindUserHolderAsync(userId, tokenId, tokenHash, cancellationToken).ConfigureAwait(false);
        }
        return Guid.TryParse(index.GetString("AccountId"), out var accountId)
            ? await FindAccountHolderAsync(accountId, tokenId, tokenHash, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<IReadOnlyList<AssignedRole>> ListRolesAsync(IdentityRef owner, CancellationToken cancellationToken)
    {
        var roles = new List<(AssignedRole Role, DateTimeOffset? At)>();
        await foreach (var row in RowsUnder(RolePrefixOf(owner), cancellationToken).ConfigureAwait(false))
        {
            roles.Add((new AssignedRole(
                Guid.Parse(row.RowKey.AsSpan(row.RowKey.LastIndexOf(':') + 1)),
                row.GetString("RoleName"), row.GetString("EntityId"), row.GetString("EntityTypeName"), row.GetString("EntityRegion")), row.Timestamp));
        }
        return [.. roles.OrderBy(r => r.At).ThenBy(r => r.Role.Id).Select(r => r.Role)];
    }

    public async Task AddRoleAsync(IdentityRef owner, AssignedRole role, CancellationToken cancellationToken) =>
        await _table.AddEntityAsync(new TableEntity(Partition, RolePrefixOf(owner) + role.Id)
        {
            ["RoleName"] = role.RoleName,
            ["EntityId"] = role.EntityId,
            ["EntityTypeName"] = role.EntityTypeName,
            ["EntityRegion"] = role.EntityRegion,
        }, cancellationToken).ConfigureAwait(false);

    // A transaction, because a plain delete of a row that is not there succeeds, and the caller must know.
    public async Task<bool> RemoveRoleAsync(IdentityRef owner, Guid roleId, CancellationToken cancellationToken) =>
        await _table.SubmitGuardedAsync(
            [new(TableTransactionActionType.Delete, new TableEntity(Partition, RolePrefixOf(owner) + roleId), ETag.All)],
            cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;

    private async Task<TokenHolder?> FindAccountHolderAsync(Guid accountId, Guid tokenId, string tokenHash, CancellationToken cancellationToken)
    {
        var owner = IdentityRef.SystemAccount(accountId);
        var token = FindTokenAsync(accountId, tokenId, cancellationToken);
        var account = FindAccountAsync(accountId, cancellationToken);
        var roles = EffectiveRolesAsync(owner, cancellationToken);
        await Task.WhenAll(token, account, roles).ConfigureAwait(false);
        return token.Result is { } t && account.Result is { } a && t.Hash == tokenHash
            ? new TokenHolder(Principal.Of(a, roles.Result), owner, t.Id, t.ExpiresAt, t.LastUsedAt)
            : null;
    }

    /// <summary>The member's own roles and those of each of its teams, read side by side.</summary>
    private async Task<IReadOnlyList<AssignedRole>> EffectiveRolesAsync(IdentityRef member, CancellationToken cancellationToken)
    {
        var own = ListRolesAsync(member, cancellationToken);
        var teams = await ListTeamsOfAsync(member, cancellationToken).ConfigureAwait(false);
        var teamRoles = await Task.WhenAll(teams.Select(team => ListRolesAsync(IdentityRef.Team(team), cancellationToken))).ConfigureAwait(false);
        return [.. await own.ConfigureAwait(false), .. teamRoles.SelectMany(roles => roles)];
    }

    /// <summary>What every removed member leaves behind: its memberships (those first: from then on it holds no team's roles) and its own roles.</summary>
    private async Task RemoveMembershipsAndRolesAsync(IdentityRef member, CancellationToken cancellationToken)
    {
        foreach (var team in await ListTeamsOfAsync(member, cancellationToken).ConfigureAwait(false))
        {
            await RemoveMemberAsync(team, member, cancellationToken).ConfigureAwait(false);
        }
        foreach (var role in await ListRolesAsync(member, cancellationToken).ConfigureAwait(false))
        {
            await DeleteAsync(RolePrefixOf(member) + role.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The rows whose keys start with <paramref name="prefix"/>, with only the properties in <paramref name="select"/> when given.</summary>
    private AsyncPageable<TableEntity> RowsUnder(string prefix, CancellationToken cancellationToken, IEnumerable<string>? select = null) =>
        _table.QueryAsync<TableEntity>(TableFilter.InPartitionStartingWith(Partition, prefix), select: select, cancellationToken: cancellationToken);

    private async Task<TableEntity?> FindAsync(string rowKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row is { HasValue: true, Value: { } entity } ? entity : null;
    }

    // Succeeds when the row is gone already: what a removal wants.
    private async Task DeleteAsync(string rowKey, CancellationToken cancellationToken) =>
        await _table.DeleteEntityAsync(Partition, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);

    private static string TokenKey(Guid accountId, Guid tokenId) => $"{TokenPrefix}{accountId}:{tokenId}";

    // A system account's keys predate users and teams and keep their shape.
    private static string RolePrefixOf(IdentityRef owner) => owner.Kind switch
    {
        IdentityKind.SystemAccount => $"{RolePrefix}{owner.Id}:",
        IdentityKind.User => $"{RolePrefix}user:{owner.Id}:",
        _ => $"{RolePrefix}team:{owner.Id}:",
    };

    // Names may hold any character, some of which a row key may not; their hash may.
    private static TableEntity NameRow(SystemAccount account) =>
        new(Partition, AccountNamePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(account.Name))))
        {
            ["AccountId"] = account.Id.ToString(),
        };

    private static TableEntity WriteAccount(SystemAccount account) => new(Partition, AccountPrefix + account.Id)
    {
        ["Name"] = account.Name,
        ["Description"] = account.Description,
        ["KonnectManaged"] = account.KonnectManaged,
        ["CreatedAt"] = account.CreatedAt,
        ["UpdatedAt"] = account.UpdatedAt,
    };

    private static SystemAccount ReadAccount(TableEntity row) => new(
        Guid.Parse(row.RowKey.AsSpan(AccountPrefix.Length)),
        row.GetString("Name"), row.GetString("Description") ?? "", row.GetBoolean("KonnectManaged") ?? false,
        row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("UpdatedAt") ?? default)
    {
        Version = row.ETag.ToString(),
    };

    private static TableEntity WriteToken(AccessToken token)
    {
        var row = new TableEntity(Partition, TokenKey(token.AccountId, token.Id))
        {
            ["Name"] = token.Name,
            ["Hash"] = token.Hash,
            ["CreatedAt"] = token.CreatedAt,
            ["UpdatedAt"] = token.UpdatedAt,
            ["ExpiresAt"] = token.ExpiresAt,
        };
        if (token.LastUsedAt is { } lastUsed)
        {
            row["LastUsedAt"] = lastUsed;
        }
        return row;
    }

    private static AccessToken ReadToken(TableEntity row)
    {
        var ids = row.RowKey[TokenPrefix.Length..].Split(':');
        return new AccessToken(
            Guid.Parse(ids[1]), Guid.Parse(ids[0]), row.GetString("Name"), row.GetString("Hash"),
            row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("UpdatedAt") ?? default,
            row.GetDateTimeOffset("ExpiresAt") ?? default, row.GetDateTimeOffset("LastUsedAt"));
    }
}
