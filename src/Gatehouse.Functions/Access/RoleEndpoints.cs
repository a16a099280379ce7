using Gatehouse.Core.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// <c>GET /v3/roles</c>: the predefined roles an assignment may name, in Konnect's shape, by entity
/// type (Gatehouse has control planes alone): <c>{"control_planes": {"name", "roles": {"admin": {name, description}, …}}}</c>.
/// Any authenticated caller may read it, as in Konnect.
/// </summary>
internal static class RoleEndpoints
{
    public static void MapRoles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v3/roles", () => Results.Json(s_roles, ApiJson.Options))
            .WithErrorDialect(ErrorDialect.Problem)
            .RequiresAccess(AccessRequirement.FilteredByEndpoint)
            .WithTags("Roles")
            .WithSummary("The predefined roles, by entity type: what role_name an assignment may name.")
            .Responds(200, "The roles");
    }

    private static readonly object s_roles = new Dictionary<string, object>
    {
        ["control_planes"] = new
        {
            name = ControlPlaneRoles.EntityType,
            roles = ControlPlaneRoles.All.ToDictionary(
                role => role.ToLowerInvariant().Replace(' ', '_'),
                role => new { name = role, description = ControlPlaneRoles.Descriptions[role] }),
        },
    };
}
