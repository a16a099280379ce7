using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Access;

/// <summary>
/// Konnect's control plane roles (GET /v3/roles, entity type "Control Planes") and the rules of an
/// assignment. Every role may be assigned; what each grants is <see cref="Permissions"/>'s to say.
/// </summary>
public static class ControlPlaneRoles
{
    public const string EntityType = "Control Planes";
    public const string AllEntities = "*";

    public const string Admin = "Admin";
    public const string Creator = "Creator";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All =
    [
        Admin, "Certificate Admin", "Consumer Admin", Creator, "Deployer", "Gateway Service Admin",
        "Plugin Admin", "Route Admin", "SNI Admin", "Upstream Admin", Viewer,
    ];

    /// <summary>
    /// What <c>GET /v3/roles</c> says of each role: Konnect's own descriptions, which its spec fixes
    /// as the values of the field (Kong/sdk-konnect-go models/components/roles.go).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Admin] = "This role grants full write access to all entities within a control plane.",
        ["Certificate Admin"] = "This role grants full write access to administer certificates.",
        ["Consumer Admin"] = "This role grants full write access to administer consumers.",
        [Creator] = "Creates a new Control Plane in an organization. The creator becomes the owner of the Control Plane they create.",
        ["Deployer"] = "This role grants full write access to administer services, routes and plugins necessary to deploy services in Service Hub.",
        ["Gateway Service Admin"] = "This role grants full write access to administer gateway services.",
        ["Plugin Admin"] = "This role grants full write access to administer plugins.",
        ["Route Admin"] = "This role grants full write access to administer routes.",
        ["SNI Admin"] = "This role grants full write access to administer SNIs.",
        ["Upstream Admin"] = "This role grants full write access to administer upstreams.",
        [Viewer] = "This role grants read only access to all entities within a control plane.",
    };

    public static readonly IReadOnlyList<string> Regions = ["us", "eu", "au", "me", "in", "sg", "*"];

    /// <summary>The errors of an AssignRole body's values (null: the field was missing); empty when it may be stored.</summary>
    public static List<InvalidParameter> Check(string? roleName, string? entityId, string? entityTypeName, string? entityRegion)
    {
        var errors = new List<InvalidParameter>();
        if (roleName is null)
        {
            errors.Add(InvalidParameter.Required("role_name"));
        }
        else if (!All.Contains(roleName, StringComparer.Ordinal))
        {
            errors.Add(InvalidParameter.OneOf("role_name", All));
        }
        if (entityId is null)
        {
            errors.Add(InvalidParameter.Required("entity_id"));
        }
        else if (entityId != AllEntities && !Guid.TryParseExact(entityId, "D", out _))
        {
            errors.Add(new InvalidParameter("entity_id", "must be a UUID or *", "is_uuid"));
        }
        if (entityTypeName is null)
        {
            errors.Add(InvalidParameter.Required("entity_type_name"));
        }
        else if (entityTypeName != EntityType)
        {
            errors.Add(InvalidParameter.OneOf("entity_type_name", [EntityType]));
        }
        if (entityRegion is null)
        {
            errors.Add(InvalidParameter.Required("entity_region"));
        }
        else if (!Regions.Contains(entityRegion, StringComparer.Ordinal))
        {
            errors.Add(InvalidParameter.OneOf("entity_region", Regions));
        }
        return errors;
    }
}
