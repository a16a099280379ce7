namespace Gatehouse.Core.Access;

/// <summary>What a request does to a control plane: reads it (GET, HEAD) or changes it (anything else).</summary>
public enum ControlPlaneAction
{
    Read,
    Write,
}

/// <summary>
/// The one place that says what a role grants. In this release: Admin on a control plane (or on
/// <c>*</c>) grants every operation on it and everything under it; Viewer grants its reads; Creator
/// grants creating control planes. The other control plane roles are accepted in assignments but
/// grant nothing yet: a permission not implemented is a permission denied. Regions are not
/// compared: a Gatehouse installation is one region.
/// </summary>
public static class Permissions
{
    /// <summary>The role the principal lacks for <paramref name="action"/> on the control plane; null when it may.</summary>
    public static string? Missing(Principal principal, ControlPlaneAction action, string controlPlaneId)
    {
        if (principal.IsOrganizationAdmin || Holds(principal, ControlPlaneRoles.Admin, controlPlaneId))
        {
            return null;
        }
        if (action == ControlPlaneAction.Read)
        {
            return Holds(principal, ControlPlaneRoles.Viewer, controlPlaneId) ? null : ControlPlaneRoles.Viewer;
        }
        return ControlPlaneRoles.Admin;
    }

    /// <summary>Whether the control plane appears in the principal's lists: it may read it.</summary>
    public static bool MaySee(Principal principal, Guid controlPlaneId) =>
        Missing(principal, ControlPlaneAction.Read, controlPlaneId.ToString()) is null;

    /// <summary>Creator, on any control plane or on <c>*</c>: Konnect's Creator is an organization-wide role.</summary>
    public static bool MayCreateControlPlanes(Principal principal) =>
        principal.IsOrganizationAdmin || principal.Roles.Any(r => IsControlPlaneRole(r, ControlPlaneRoles.Creator));

    private static bool Holds(Principal principal, string role, string controlPlaneId) =>
        principal.Roles.Any(r => IsControlPlaneRole(r, role)
            && (r.EntityId == ControlPlaneRoles.AllEntities || string.Equals(r.EntityId, controlPlaneId, StringComparison.OrdinalIgnoreCase)));

    private static bool IsControlPlaneRole(AssignedRole assigned, string role) =>
        assigned.EntityTypeName == ControlPlaneRoles.EntityType && assigned.RoleName == role;
}
