namespace Gatehouse.Core.Access;

/// <summary>
/// A person (Konnect's user). Gatehouse sends no invitations: the organization admin creates users,
/// who are active from then on and authenticate with personal access tokens.
/// </summary>
public sealed record User(Guid Id, string Email, string FullName, string PreferredName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The store's version of the row, for conditional writes; null for one not read from the store.</summary>
    public string? Version { get; init; }
}

/// <summary>Konnect's personal access token states.</summary>
public enum PersonalAccessTokenState
{
    Active,
    Revoked,
    Expired,
}

/// <summary>
/// A user's personal access token as stored: never the secret, only its SHA-256. A revoked token is
/// kept (its state says so) but its hash index is gone, so it authenticates nowhere.
/// </summary>
public sealed record PersonalAccessToken(
    Guid Id, Guid UserId, string Name, string Hash,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, Guid? RevokedBy)
{
    public PersonalAccessTokenState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? PersonalAccessTokenState.Revoked
        : now >= ExpiresAt ? PersonalAccessTokenState.Expired
        : PersonalAccessTokenState.Active;
}
