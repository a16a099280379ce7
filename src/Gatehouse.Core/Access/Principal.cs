namespace Gatehouse.Core.Access;

/// <summary>
/// Who a management request comes from: the organization admin (the break-glass admin token, which
/// may do everything) or a system account, which may do what its assigned roles grant and nothing else.
/// </summary>
public sealed class Principal
{
    public static readonly Principal OrganizationAdmin = new(null, []);

    private Principal(SystemAccount? account, IReadOnlyList<AssignedRole> roles)
    {
        Account = account;
        Roles = roles;
    }

    /// <summary>The system account; null for the organization admin.</summary>
    public SystemAccount? Account { get; }

    public IReadOnlyList<AssignedRole> Roles { get; }

    public bool IsOrganizationAdmin => Account is null;

    /// <summary>How refusals name the principal: <c>system account 'ci'</c>.</summary>
    public string Description => Account is { } account ? $"system account '{account.Name}'" : "the organization admin";

    public static Principal Of(SystemAccount account, IReadOnlyList<AssignedRole> roles) => new(account, roles);
}
