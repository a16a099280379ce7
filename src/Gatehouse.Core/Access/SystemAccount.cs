namespace Gatehouse.Core.Access;

/// <summary>A machine principal (Konnect's system account). It may do nothing until a role grants it.</summary>
public sealed record SystemAccount(Guid Id, string Name, string Description, bool KonnectManaged, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The store's version of the row, for conditional writes; null for one not read from the store.</summary>
    public string? Version { get; init; }
}

/// <summary>
/// A system account's access token as stored: never the secret, only its SHA-256
/// (<see cref="AccessTokenSecret.Hash"/>), which is also the key it is looked up by.
/// </summary>
public sealed record AccessToken(
    Guid Id, Guid AccountId, string Name, string Hash,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt)
{
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}

/// <summary>Konnect's AssignedRole: a role on one entity (or <c>*</c>, every one) of one type, in a region (or <c>*</c>).</summary>
public sealed record AssignedRole(Guid Id, string RoleName, string EntityId, string EntityTypeName, string EntityRegion);

/// <summary>
/// Who a presented token belongs to, as authentication needs it: the principal with its effective
/// roles, and the token's owner, id, expiry and last use.
/// </summary>
public sealed record TokenHolder(Principal Principal, IdentityRef Owner, Guid TokenId, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt)
{
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}
