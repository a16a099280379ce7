using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Access;

/// <summary>Users and their personal access tokens: the rules, over <see cref="IUserStore"/>. Their roles are <see cref="RoleAssignments"/>'s.</summary>
public sealed class UserService(IUserStore users, TimeProvider clock)
{
    public const int MaxTextLength = 250;

    /// <summary>Active tokens a user may hold at once, as in Konnect.</summary>
    public const int MaxActiveTokens = 10;

    /// <summary>The longest lifetime a personal access token may be given: twelve months, as in Konnect.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(365);

    public async Task<User> CreateAsync(string email, string fullName, string? preferredName, CancellationToken cancellationToken)
    {
        IdentityRules.ThrowIfInvalid(CheckEmail(email), CheckFullName(fullName), CheckPreferredName(preferredName));
        var now = clock.GetUtcNow();
        var user = new User(Guid.NewGuid(), email, fullName, preferredName ?? "", now, now);
        if (!await users.TryAddUserAsync(user, cancellationToken).ConfigureAwait(false))
        {
            throw new ConflictException($"A user with email [{email}] already exists.");
        }
        return user;
    }

    public async Task<User> GetAsync(Guid userId, CancellationToken cancellationToken) =>
        await users.FindUserAsync(userId, cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException($"User [{userId}] not found.");

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) => users.ListUsersAsync(cancellationToken);

    public async Task<User> UpdateAsync(Guid userId, string? fullName, string? preferredName, CancellationToken cancellationToken)
    {
        IdentityRules.ThrowIfInvalid(fullName is null ? null : CheckFullName(fullName), CheckPreferredName(preferredName));
        var current = await GetAsync(userId, cancellationToken).ConfigureAwait(false);
        var updated = current with { FullName = fullName ?? current.FullName, PreferredName = preferredName ?? current.PreferredName, UpdatedAt = clock.GetUtcNow() };
        return await users.TryReplaceUserAsync(current, updated, cancellationToken).ConfigureAwait(false) == IdentityWriteOutcome.Committed
            ? updated
            : throw new ConflictException($"User [{userId}] changed meanwhile; retry.");
    }

    public async Task DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (!await users.RemoveUserAsync(userId, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"User [{userId}] not found.");
        }
    }

    /// <summary>
    /// Creates a personal access token living <paramref name="ttlSeconds"/> (at most twelve months); the
    /// secret is returned here and nowhere else, ever. A user holds at most ten active tokens.
    /// </summary>
    public async Task<(PersonalAccessToken Token, string Secret)> CreateTokenAsync(Guid userId, string name, long ttlSeconds, CancellationToken cancellationToken)
    {
        IdentityRules.ThrowIfInvalid(
            IdentityRules.CheckText("name", name, 1, MaxTextLength),
            ttlSeconds < 1 || ttlSeconds > (long)MaxTokenLifetime.TotalSeconds
                ? new InvalidParameter("ttl_seconds", $"must be between 1 and {(long)MaxTokenLifetime.TotalSeconds} (twelve months)", "invalid")
                : null);
        await GetAsync(userId, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var active = (await users.ListPersonalTokensAsync(userId, cancellationToken).ConfigureAwait(false))
            .Count(t => t.StateAt(now) == PersonalAccessTokenState.Active);
        if (active >= MaxActiveTokens)
        {
            throw new RequestInvalidException("Request contains invalid parameters.",
                [new InvalidParameter("name", $"a user may hold at most {MaxActiveTokens} active personal access tokens; revoke or delete one first", "invalid")]);
        }
        var secret = AccessTokenSecret.NewPersonalAccessToken();
        var token = new PersonalAccessToken(Guid.NewGuid(), userId, name, AccessTokenSecret.Hash(secret), now, now, now.AddSeconds(ttlSeconds), null, null, null);
        await users.AddPersonalTokenAsync(token, cancellationToken).ConfigureAwait(false);
        return (token, secret);
    }

    public async Task<IReadOnlyList<PersonalAccessToken>> ListTokensAsync(Guid userId, CancellationToken cancellationToken)
    {
        await GetAsync(userId, cancellationToken).ConfigureAwait(false);
        return await users.ListPersonalTokensAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PersonalAccessToken> GetTokenAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken) =>
        await users.FindPersonalTokenAsync(userId, tokenId, cancellationToken).ConfigureAwait(false) ?? throw TokenNotFound(userId, tokenId);

    public async Task<PersonalAccessToken> RenameTokenAsync(Guid userId, Guid tokenId, string name, CancellationToken cancellationToken)
    {
        IdentityRules.ThrowIfInvalid(IdentityRules.CheckText("name", name, 1, MaxTextLength));
        var current = await GetTokenAsync(userId, tokenId, cancellationToken).ConfigureAwait(false);
        var updated = current with { Name = name, UpdatedAt = clock.GetUtcNow() };
        return await users.RenamePersonalTokenAsync(updated, cancellationToken).ConfigureAwait(false) ? updated : throw TokenNotFound(userId, tokenId);
    }

    /// <summary>
    /// Revokes the token: refused from the next request on. Revoking a revoked token changes nothing;
    /// <paramref name="revokedBy"/> is the user who revoked it, null for the organization admin or a system account.
    /// </summary>
    public async Task<PersonalAccessToken> RevokeTokenAsync(Guid userId, Guid tokenId, Guid? revokedBy, CancellationToken cancellationToken)
    {
        var current = await GetTokenAsync(userId, tokenId, cancellationToken).ConfigureAwait(false);
        if (current.RevokedAt is not null)
        {
            return current;
        }
        var now = clock.GetUtcNow();
        var revoked = current with { RevokedAt = now, RevokedBy = revokedBy, UpdatedAt = now };
        if (await users.RevokePersonalTokenAsync(revoked, cancellationToken).ConfigureAwait(false))
        {
            return revoked;
        }
        // Revoked or removed by someone else meanwhile: answer what is there now.
        return await GetTokenAsync(userId, tokenId, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteTokenAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(userId, tokenId, cancellationToken).ConfigureAwait(false);
        if (!await users.RemovePersonalTokenAsync(token, cancellationToken).ConfigureAwait(false))
        {
            throw TokenNotFound(userId, tokenId);
        }
    }

    private static NotFoundException TokenNotFound(Guid userId, Guid tokenId) => new($"Personal access token [{tokenId}] of user [{userId}] not found.");

    // Deliverability is not Gatehouse's to judge (it sends no mail); the shape of an address is.
    internal static InvalidParameter? CheckEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return email.Length > MaxTextLength ? InvalidParameter.MaxLength("email", MaxTextLength)
            : at < 1 || at != email.LastIndexOf('@') || at == email.Length - 1 || email.Any(char.IsWhiteSpace)
                ? new InvalidParameter("email", "must be an email address", "invalid")
                : null;
    }

    private static InvalidParameter? CheckFullName(string fullName) => IdentityRules.CheckText("full_name", fullName, 1, MaxTextLength);

    private static InvalidParameter? CheckPreferredName(string? preferredName) =>
        preferredName is null ? null : IdentityRules.CheckText("preferred_name", preferredName, 0, MaxTextLength);
}
