using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Access;

/// <summary>System accounts and their access tokens: the rules, over <see cref="IIdentityStore"/>. Their roles are <see cref="RoleAssignments"/>'s.</summary>
public sealed class SystemAccountService(IIdentityStore store, TimeProvider clock)
{
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 1000;

    public async Task<SystemAccount> CreateAsync(string name, string description, bool konnectManaged, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(CheckName("name", name), CheckDescription(description));
        var now = clock.GetUtcNow();
        var account = new SystemAccount(Guid.NewGuid(), name, description, konnectManaged, now, now);
        if (!await store.TryAddAccountAsync(account, cancellationToken).ConfigureAwait(false))
        {
            throw new ConflictException($"A system account named [{name}] already exists.");
        }
        return account;
    }

    public async Task<SystemAccount> GetAsync(Guid accountId, CancellationToken cancellationToken) =>
        await store.FindAccountAsync(accountId, cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException($"System account [{accountId}] not found.");

    public Task<IReadOnlyList<SystemAccount>> ListAsync(CancellationToken cancellationToken) => store.ListAccountsAsync(cancellationToken);

    public async Task<SystemAccount> UpdateAsync(Guid accountId, string? name, string? description, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(name is null ? null : CheckName("name", name), description is null ? null : CheckDescription(description));
        var current = await GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        var updated = current with { Name = name ?? current.Name, Description = description ?? current.Description, UpdatedAt = clock.GetUtcNow() };
        return await store.TryReplaceAccountAsync(current, updated, cancellationToken).ConfigureAwait(false) switch
        {
            IdentityWriteOutcome.Committed => updated,
            IdentityWriteOutcome.Taken => throw new ConflictException($"A system account named [{updated.Name}] already exists."),
            _ => throw new ConflictException($"System account [{accountId}] changed meanwhile; retry."),
        };
    }

    public async Task DeleteAsync(Guid accountId, CancellationToken cancellationToken)
    {
        if (!await store.RemoveAccountAsync(accountId, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"System account [{accountId}] not found.");
        }
    }

    /// <summary>Creates a token; the secret is returned here and nowhere else, ever.</summary>
    public async Task<(AccessToken Token, string Secret)> CreateTokenAsync(Guid accountId, string name, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        ThrowIfInvalid(CheckName("name", name), expiresAt <= now ? new InvalidParameter("expires_at", "must be in the future", "invalid") : null);
        await GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        await ThrowIfTokenNameTakenAsync(accountId, name, null, cancellationToken).ConfigureAwait(false);
        var secret = AccessTokenSecret.NewSystemAccountToken();
        var token = new AccessToken(Guid.NewGuid(), accountId, name, AccessTokenSecret.Hash(secret), now, now, expiresAt, null);
        await store.AddTokenAsync(token, cancellationToken).ConfigureAwait(false);
        return (token, secret);
    }

    public async Task<IReadOnlyList<AccessToken>> ListTokensAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        return await store.ListTokensAsync(accountId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AccessToken> GetTokenAsync(Guid accountId, Guid tokenId, CancellationToken cancellationToken) =>
        await store.FindTokenAsync(accountId, tokenId, cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException($"Access token [{tokenId}] of system account [{accountId}] not found.");

    public async Task<AccessToken> RenameTokenAsync(Guid accountId, Guid tokenId, string name, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(CheckName("name", name));
        var current = await GetTokenAsync(accountId, tokenId, cancellationToken).ConfigureAwait(false);
        await ThrowIfTokenNameTakenAsync(accountId, name, tokenId, cancellationToken).ConfigureAwait(false);
        var updated = current with { Name = name, UpdatedAt = clock.GetUtcNow() };
        return await store.ReplaceTokenAsync(updated, cancellationToken).ConfigureAwait(false)
            ? updated
            : throw new NotFoundException($"Access token [{tokenId}] of system account [{accountId}] not found.");
    }

    public async Task DeleteTokenAsync(Guid accountId, Guid tokenId, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(accountId, tokenId, cancellationToken).ConfigureAwait(false);
        if (!await store.RemoveTokenAsync(token, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"Access token [{tokenId}] of system account [{accountId}] not found.");
        }
    }

    private async Task ThrowIfTokenNameTakenAsync(Guid accountId, string name, Guid? except, CancellationToken cancellationToken)
    {
        var tokens = await store.ListTokensAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (tokens.Any(t => t.Name == name && t.Id != except))
        {
            throw new ConflictException($"System account [{accountId}] already has a token named [{name}].");
        }
    }

    private static InvalidParameter? CheckName(string field, string name) => IdentityRules.CheckText(field, name, 1, MaxNameLength);

    private static InvalidParameter? CheckDescription(string description) => IdentityRules.CheckText("description", description, 0, MaxDescriptionLength);

    private static void ThrowIfInvalid(params InvalidParameter?[] errors) => IdentityRules.ThrowIfInvalid(errors);
}
