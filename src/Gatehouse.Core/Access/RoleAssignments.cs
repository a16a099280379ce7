using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Access;

/// <summary>
/// The AssignRole rules, the same for system accounts, users and teams: the values
/// <see cref="ControlPlaneRoles.Check"/> accepts, each assignment at most once per owner. Whether the
/// owner exists is the caller's to check first.
/// </summary>
public sealed class RoleAssignments(IIdentityStore store)
{
    public Task<IReadOnlyList<AssignedRole>> ListAsync(IdentityRef owner, CancellationToken cancellationToken) =>
        store.ListRolesAsync(owner, cancellationToken);

    public async Task<AssignedRole> GetAsync(IdentityRef owner, Guid roleId, CancellationToken cancellationToken) =>
        (await store.ListRolesAsync(owner, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id == roleId)
        ?? throw NotFound(owner, roleId);

    /// <summary>Assigns a role; the values are those of an AssignRole body (null: missing).</summary>
    public async Task<AssignedRole> AssignAsync(
        IdentityRef owner, string? roleName, string? entityId, string? entityTypeName, string? entityRegion, CancellationToken cancellationToken)
    {
        var errors = ControlPlaneRoles.Check(roleName, entityId, entityTypeName, entityRegion);
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Request contains invalid parameters.", errors);
        }
        var existing = await store.ListRolesAsync(owner, cancellationToken).ConfigureAwait(false);
        // Ids are stored as written lowercase, so the same assignment cannot hide behind letter case.
        var role = new AssignedRole(Guid.NewGuid(), roleName!, entityId!.ToLowerInvariant(), entityTypeName!, entityRegion!);
        if (existing.Any(r => r.RoleName == role.RoleName && r.EntityId == role.EntityId && r.EntityTypeName == role.EntityTypeName && r.EntityRegion == role.EntityRegion))
        {
            throw new ConflictException($"Role [{role.RoleName}] is already assigned on [{role.EntityId}].");
        }
        await store.AddRoleAsync(owner, role, cancellationToken).ConfigureAwait(false);
        return role;
    }

    public async Task RemoveAsync(IdentityRef owner, Guid roleId, CancellationToken cancellationToken)
    {
        if (!await store.RemoveRoleAsync(owner, roleId, cancellationToken).ConfigureAwait(false))
        {
            throw NotFound(owner, roleId);
        }
    }

    /// <summary>
    /// The Creator's grant: a system account or user becomes Admin of the control plane it created
    /// (an assigned role it can see, and the organization admin remove). The organization admin needs none.
    /// </summary>
    public Task GrantCreatorAdminAsync(Principal creator, Guid controlPlaneId, CancellationToken cancellationToken)
    {
        IdentityRef? owner = creator.Type switch
        {
            PrincipalType.SystemAccount => IdentityRef.SystemAccount(creator.Id!.Value),
            PrincipalType.User => IdentityRef.User(creator.Id!.Value),
            _ => null,
        };
        return owner is not { } identity
            ? Task.CompletedTask
            : store.AddRoleAsync(identity, new AssignedRole(Guid.NewGuid(), ControlPlaneRoles.Admin, controlPlaneId.ToString(), ControlPlaneRoles.EntityType, "*"), cancellationToken);
    }

    /// <summary>How messages name an identity: <c>team [id]</c>.</summary>
    public static string Describe(IdentityRef identity) => identity.Kind switch
    {
        IdentityKind.SystemAccount => $"system account [{identity.Id}]",
        IdentityKind.User => $"user [{identity.Id}]",
        _ => $"team [{identity.Id}]",
    };

    private static NotFoundException NotFound(IdentityRef owner, Guid roleId) => new($"Assigned role [{roleId}] of {Describe(owner)} not found.");
}
