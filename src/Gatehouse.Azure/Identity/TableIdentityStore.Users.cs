using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Access;

namespace Gatehouse.Azure.Identity;

/// <summary>
/// Users: <c>user:{id}</c>, and <c>useremail:{sha256(lowercase email)}</c> keeping emails unique;
/// <c>pat:{user}:{id}</c>, a personal access token (kept when revoked), with the same
/// <c>tokenhash:{sha256}</c> index as a system account's token while it is usable.
/// </summary>
public sealed partial class TableIdentityStore
{
    private const string UserPrefix = "user:";
    private const string UserEmailPrefix = "useremail:";
    private const string PersonalTokenPrefix = "pat:";

    public async Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var users = new List<User>();
        await foreach (var row in RowsUnder(UserPrefix, cancellationToken).ConfigureAwait(false))
        {
            users.Add(ReadUser(row));
        }
        return [.. users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)];
    }

    public async Task<User?> FindUserAsync(Guid userId, CancellationToken cancellationToken) =>
        await FindAsync(UserPrefix + userId, cancellationToken).ConfigureAwait(false) is { } row ? ReadUser(row) : null;

    public async Task<bool> TryAddUserAsync(User user, CancellationToken cancellationToken) =>
        await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Add, WriteUser(user)),
            new(TableTransactionActionType.Add, EmailRow(user)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;

    public async Task<IdentityWriteOutcome> TryReplaceUserAsync(User current, User updated, CancellationToken cancellationToken)
    {
        var version = current.Version is { } v ? new ETag(v) : throw new ArgumentException("The user was not read from the store.", nameof(current));
        // A merge: the row's sign-in link is not the user record's to change.
        return await _table.SubmitGuardedAsync([new(TableTransactionActionType.UpdateMerge, WriteUser(updated), version)], cancellationToken).ConfigureAwait(false)
            == GuardedOutcome.Committed ? IdentityWriteOutcome.Committed : IdentityWriteOutcome.Stale;
    }

    public async Task<bool> RemoveUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (await FindAsync(UserPrefix + userId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return false;
        }
        var user = ReadUser(row);
        // The sign-in link first: a person signing in meanwhile then becomes a new user, not a deleted one.
        await RemoveSignInLinkAsync(row, cancellationToken).ConfigureAwait(false);
        var tokens = await ListPersonalTokensAsync(userId, cancellationToken).ConfigureAwait(false);
        // The hash index first, as for a system account: from here on none of the user's tokens authenticates.
        foreach (var token in tokens)
        {
            await DeleteAsync(TokenHashPrefix + token.Hash, cancellationToken).ConfigureAwait(false);
        }
        await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Delete, new TableEntity(Partition, UserPrefix + userId), ETag.All),
            new(TableTransactionActionType.Delete, EmailRow(user), ETag.All),
        ], cancellationToken).ConfigureAwait(false);
        foreach (var token in tokens)
        {
            await DeleteAsync(PersonalTokenKey(userId, token.Id), cancellationToken).ConfigureAwait(false);
        }
        await RemoveMembershipsAndRolesAsync(IdentityRef.User(userId), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<PersonalAccessToken>> ListPersonalTokensAsync(Guid userId, CancellationToken cancellationToken)
    {
        var tokens = new List<PersonalAccessToken>();
        await foreach (var row in RowsUnder($"{PersonalTokenPrefix}{userId}:", cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(ReadPersonalToken(row));
        }
        return [.. tokens.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)];
    }

    public async Task<PersonalAccessToken?> FindPersonalTokenAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken) =>
        await FindAsync(PersonalTokenKey(userId, tokenId), cancellationToken).ConfigureAwait(false) is { } row ? ReadPersonalToken(row) : null;

    public async Task AddPersonalTokenAsync(PersonalAccessToken token, CancellationToken cancellationToken) =>
        await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, WritePersonalToken(token)),
            new(TableTransactionActionType.Add, new TableEntity(Partition, TokenHashPrefix + token.Hash)
            {
                ["UserId"] = token.UserId.ToString(),
                ["TokenId"] = token.Id.ToString(),
            }),
        ], cancellationToken).ConfigureAwait(false);

    public async Task<bool> RenamePersonalTokenAsync(PersonalAccessToken updated, CancellationToken cancellationToken)
    {
        try
        {
            // Merge: a concurrent last-use note or revocation is kept, and a token that is gone is not brought back.
            var row = new TableEntity(Partition, PersonalTokenKey(updated.UserId, updated.Id)) { ["Name"] = updated.Name, ["UpdatedAt"] = updated.UpdatedAt };
            await _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<bool> RevokePersonalTokenAsync(PersonalAccessToken revoked, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, PersonalTokenKey(revoked.UserId, revoked.Id)) { ["RevokedAt"] = revoked.RevokedAt, ["UpdatedAt"] = revoked.UpdatedAt };
        if (revoked.RevokedBy is { } by)
        {
            row["RevokedBy"] = by.ToString();
        }
        // Together: the index goes only with the note that says why, and only once.
        return await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Delete, new TableEntity(Partition, TokenHashPrefix + revoked.Hash), ETag.All),
            new(TableTransactionActionType.UpdateMerge, row, ETag.All),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;
    }

    public async Task<bool> RemovePersonalTokenAsync(PersonalAccessToken token, CancellationToken cancellationToken)
    {
        // The index first (gone already when the token was revoked), then the token, whose removal says whether it was there.
        await DeleteAsync(TokenHashPrefix + token.Hash, cancellationToken).ConfigureAwait(false);
        return await _table.SubmitGuardedAsync(
            [new(TableTransactionActionType.Delete, new TableEntity(Partition, PersonalTokenKey(token.UserId, token.Id)), ETag.All)],
            cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;
    }

    private async Task<TokenHolder?> FindUserHolderAsync(Guid userId, Guid tokenId, string tokenHash, CancellationToken cancellationToken)
    {
        var owner = IdentityRef.User(userId);
        var token = FindPersonalTokenAsync(userId, tokenId, cancellationToken);
        var user = FindUserAsync(userId, cancellationToken);
        var roles = EffectiveRolesAsync(owner, cancellationToken);
        await Task.WhenAll(token, user, roles).ConfigureAwait(false);
        return token.Result is { RevokedAt: null } t && user.Result is { } u && t.Hash == tokenHash
            ? new TokenHolder(Principal.Of(u, roles.Result), owner, t.Id, t.ExpiresAt, t.LastUsedAt)
            : null;
    }

    private static string PersonalTokenKey(Guid userId, Guid tokenId) => $"{PersonalTokenPrefix}{userId}:{tokenId}";

    // Emails are unique whatever their letter case; the hash keeps characters a row key may not hold out of it.
    private static TableEntity EmailRow(User user) =>
        new(Partition, UserEmailPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user.Email.ToLowerInvariant()))))
        {
            ["UserId"] = user.Id.ToString(),
        };

    private static TableEntity WriteUser(User user) => new(Partition, UserPrefix + user.Id)
    {
        ["Email"] = user.Email,
        ["FullName"] = user.FullName,
        ["PreferredName"] = user.PreferredName,
        ["CreatedAt"] = user.CreatedAt,
        ["UpdatedAt"] = user.UpdatedAt,
    };

    private static User ReadUser(TableEntity row) => new(
        Guid.Parse(row.RowKey.AsSpan(UserPrefix.Length)),
        row.GetString("Email"), row.GetString("FullName") ?? "", row.GetString("PreferredName") ?? "",
        row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("UpdatedAt") ?? default)
    {
        Version = row.ETag.ToString(),
    };

    private static TableEntity WritePersonalToken(PersonalAccessToken token) => new(Partition, PersonalTokenKey(token.UserId, token.Id))
    {
        ["Name"] = token.Name,
        ["Hash"] = token.Hash,
        ["CreatedAt"] = token.CreatedAt,
        ["UpdatedAt"] = token.UpdatedAt,
        ["ExpiresAt"] = token.ExpiresAt,
    };

    private static PersonalAccessToken ReadPersonalToken(TableEntity row)
    {
        var ids = row.RowKey[PersonalTokenPrefix.Length..].Split(':');
        return new PersonalAccessToken(
            Guid.Parse(ids[1]), Guid.Parse(ids[0]), row.GetString("Name"), row.GetString("Hash"),
            row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("UpdatedAt") ?? default,
            row.GetDateTimeOffset("ExpiresAt") ?? default, row.GetDateTimeOffset("LastUsedAt"),
            row.GetDateTimeOffset("RevokedAt"), Guid.TryParse(row.GetString("RevokedBy"), out var by) ? by : null);
    }
}
