namespace Gatehouse.Core.Access;

/// <summary>
/// A group of users and system accounts (Konnect's team): each member holds the team's roles as long
/// as it belongs to it. Names need not be unique, as in Konnect.
/// </summary>
public sealed record Team(Guid Id, string Name, string Description, IReadOnlyDictionary<string, string> Labels, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The store's version of the row, for conditional writes; null for one not read from the store.</summary>
    public string? Version { get; init; }
}

/// <summary>What holds role assignments or belongs to teams: a system account, a user or a team.</summary>
public enum IdentityKind
{
    SystemAccount,
    User,
    Team,
}

/// <summary>A system account, user or team by id: the owner of role assignments, or a team member.</summary>
public readonly record struct IdentityRef(IdentityKind Kind, Guid Id)
{
    public static IdentityRef SystemAccount(Guid id) => new(IdentityKind.SystemAccount, id);

    public static IdentityRef User(Guid id) => new(IdentityKind.User, id);

    public static IdentityRef Team(Guid id) => new(IdentityKind.Team, id);
}
