using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Access;

/// <summary>What a request does to a control plane: reads it (GET, HEAD) or changes it (anything else).</summary>
public enum ControlPlaneAction
{
    Read,
    Write,
}

/// <summary>
/// The one place that says what a role grants, read from Konnect's roles reference
/// (docs/access-control.md has the reading and its sources). Admin on a control plane (or on
/// <c>*</c>) grants every operation on it and everything under it; Viewer grants its reads;
/// Creator grants creating control planes. Each other control plane role grants reading the
/// control plane itself and writing (and reading) the entity types Konnect names for it; on the
/// control plane as a whole (its settings, DP certificates, nodes, declarative import, group
/// membership) they grant nothing. Regions are not compared: a Gatehouse installation is one region.
/// </summary>
public static class Permissions
{
    private const string CertificateAdmin = "Certificate Admin";
    private const string ConsumerAdmin = "Consumer Admin";
    private const string Deployer = "Deployer";
    private const string GatewayServiceAdmin = "Gateway Service Admin";
    private const string PluginAdmin = "Plugin Admin";
    private const string RouteAdmin = "Route Admin";
    private const string SniAdmin = "SNI Admin";
    private const string UpstreamAdmin = "Upstream Admin";

    // Declared before the table that uses it: static fields initialize in text order.
    private static readonly string s_custom = ControlPlaneResource.CustomPlugins.ToString();

    /// <summary>
    /// What each entity-type role writes and, beyond that, reads, by <see cref="ControlPlaneResource"/>
    /// key. A flat collection covers the same collection under any parent (Plugin Admin writes
    /// <c>services/{id}/plugins</c> too); a nested key covers only that parent's plugins.
    /// </summary>
    private static readonly Dictionary<string, Grant> s_grants = new(StringComparer.Ordinal)
    {
        [CertificateAdmin] = new(["certificates", "ca_certificates"], []),
        [ConsumerAdmin] = new(
            [Consumers.Schema.Name, ConsumerGroups.Schema.Name, .. ConsumerCredentials.All.Select(s => s.Name), PluginsUnder("consumers"), PluginsUnder("consumer_groups")],
            []),
        [Deployer] = new(["services", "routes", "plugins", s_custom], []),
        [GatewayServiceAdmin] = new(["services", PluginsUnder("services"), s_custom], ["plugins"]),
        [PluginAdmin] = new(["plugins", s_custom], []),
        [RouteAdmin] = new(["routes", PluginsUnder("routes"), s_custom], ["plugins"]),
        [SniAdmin] = new(["snis"], ["certificates"]),
        [UpstreamAdmin] = new(["upstreams", "targets"], ["certificates"]),
    };

    /// <summary>
    /// The roles of which the principal lacks any one for <paramref name="action"/> on
    /// <paramref name="resource"/> of the control plane (<c>Route Admin, Deployer or Admin</c>); null when it may.
    /// </summary>
    public static string? Missing(Principal principal, ControlPlaneAction action, string controlPlaneId, ControlPlaneResource? resource = null)
    {
        resource ??= ControlPlaneResource.Whole;
        if (principal.IsOrganizationAdmin)
        {
            return null;
        }
        var granting = GrantingRoles(action, resource);
        if (Holds(principal, ControlPlaneRoles.Admin, controlPlaneId) || granting.Any(role => Holds(principal, role, controlPlaneId)))
        {
            return null;
        }
        return granting.Count == 1 ? granting[0] : $"{string.Join(", ", granting.SkipLast(1))} or {granting[^1]}";
    }

    /// <summary>
    /// Every role that grants <paramref name="action"/> on <paramref name="resource"/>, in the order
    /// a refusal names them: for a read Viewer first, for a write Admin last. Admin grants every
    /// read as well, and goes unnamed there as Viewer's superset.
    /// </summary>
    public static IReadOnlyList<string> GrantingRoles(ControlPlaneAction action, ControlPlaneResource resource) =>
        s_granting.GetOrAdd((action, resource), key => Granting(key.Action, key.Resource));

    // Every request asks; the answer depends on the two values alone.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ControlPlaneAction Action, ControlPlaneResource Resource), IReadOnlyList<string>> s_granting = new();

    private static IReadOnlyList<string> Granting(ControlPlaneAction action, ControlPlaneResource resource)
    {
        var specific = ControlPlaneRoles.All.Where(role => s_grants.TryGetValue(role, out var grant) && grant.Allows(action, resource));
        return action == ControlPlaneAction.Read ? [ControlPlaneRoles.Viewer, .. specific] : [.. specific, ControlPlaneRoles.Admin];
    }

    /// <summary>Whether the control plane appears in the principal's lists: any role on it lets it read the control plane itself.</summary>
    public static bool MaySee(Principal principal, Guid controlPlaneId) =>
        Missing(principal, ControlPlaneAction.Read, controlPlaneId.ToString(), ControlPlaneResource.Itself) is null;

    /// <summary>Creator, on any control plane or on <c>*</c>: Konnect's Creator is an organization-wide role.</summary>
    public static bool MayCreateControlPlanes(Principal principal) =>
        principal.IsOrganizationAdmin || principal.Roles.Any(r => IsControlPlaneRole(r, ControlPlaneRoles.Creator));

    private static string PluginsUnder(string parent) => ControlPlaneResource.Entities(ControlPlaneResource.PluginsCollection, parent).ToString();

    private static bool Holds(Principal principal, string role, string controlPlaneId) => principal.HoldsControlPlaneRole(role, controlPlaneId);

    private static bool IsControlPlaneRole(AssignedRole assigned, string role) =>
        assigned.EntityTypeName == ControlPlaneRoles.EntityType && assigned.RoleName == role;

    private sealed record Grant(IReadOnlyList<string> Writes, IReadOnlyList<string> AlsoReads)
    {
        public bool Allows(ControlPlaneAction action, ControlPlaneResource resource)
        {
            if (resource == ControlPlaneResource.Whole)
            {
                return false;
            }
            if (resource == ControlPlaneResource.Itself)
            {
                return action == ControlPlaneAction.Read;
            }
            return Covers(Writes, resource) || (action == ControlPlaneAction.Read && Covers(AlsoReads, resource));
        }

        private static bool Covers(IReadOnlyList<string> keys, ControlPlaneResource resource) =>
            keys.Contains(resource.ToString()) || (resource.Parent is not null && keys.Contains(resource.Collection));
    }
}
