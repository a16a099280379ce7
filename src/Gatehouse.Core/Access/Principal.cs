namespace Gatehouse.Core.Access;

/// <summary>What kind of caller a <see cref="Principal"/> is.</summary>
public enum PrincipalType
{
    /// <summary>The break-glass admin token, which may do everything.</summary>
    OrganizationAdmin,

    /// <summary>A machine, authenticated by a <c>spat_</c> token.</summary>
    SystemAccount,

    /// <summary>A person, authenticated by a personal access token (<c>kpat_</c>).</summary>
    User,
}

/// <summary>
/// Who a management request comes from: the organization admin, or a system account or a user, who
/// may do what their roles grant and nothing else. <see cref="Roles"/> is the effective set: the
/// principal's own assignments and those of every team it belongs to.
/// </summary>
public sealed class Principal
{
    public static readonly Principal OrganizationAdmin = new(PrincipalType.OrganizationAdmin, null, "the organization admin", null, []);

    private Principal(PrincipalType type, Guid? id, string description, SystemAccount? account, IReadOnlyList<AssignedRole> roles)
    {
        Type = type;
        Id = id;
        Description = description;
        Account = account;
        Roles = roles;
        _controlPlaneRoles = new(() => roles
            .Where(r => r.EntityTypeName == ControlPlaneRoles.EntityType)
            .GroupBy(r => r.EntityId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.RoleName).ToHashSet(StringComparer.Ordinal), StringComparer.OrdinalIgnoreCase));
    }

    // Roles by the control plane (or *) they are on, built once: a principal may hold a thousand.
    private readonly Lazy<Dictionary<string, IReadOnlySet<string>>> _controlPlaneRoles;

    public PrincipalType Type { get; }

    /// <summary>The system account's or user's id; null for the organization admin.</summary>
    public Guid? Id { get; }

    /// <summary>The system account; null for a user and for the organization admin.</summary>
    public SystemAccount? Account { get; }

    /// <summary>The principal's own role assignments and those of its teams.</summary>
    public IReadOnlyList<AssignedRole> Roles { get; }

    public bool IsOrganizationAdmin => Type == PrincipalType.OrganizationAdmin;

    /// <summary>Whether the principal holds the control plane role on the control plane, or on every one (<c>*</c>).</summary>
    public bool HoldsControlPlaneRole(string role, string controlPlaneId) =>
        HoldsOn(ControlPlaneRoles.AllEntities, role) || HoldsOn(controlPlaneId, role);

    /// <summary>How refusals and logs name the principal: <c>system account 'ci'</c>, <c>user 'alice@example.com'</c>.</summary>
    public string Description { get; }

    public static Principal Of(SystemAccount account, IReadOnlyList<AssignedRole> roles) =>
        new(PrincipalType.SystemAccount, account.Id, $"system account '{account.Name}'", account, roles);

    public static Principal Of(User user, IReadOnlyList<AssignedRole> roles) =>
        new(PrincipalType.User, user.Id, $"user '{user.Email}'", null, roles);

    private bool HoldsOn(string entityId, string role) => _controlPlaneRoles.Value.TryGetValue(entityId, out var held) && held.Contains(role);
}
