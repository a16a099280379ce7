using Gatehouse.Core.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// <c>…/assigned-roles</c> of a system account, user or team: the same four operations and AssignRole
/// rules for each, over <see cref="RoleAssignments"/>.
/// </summary>
internal static class AssignedRoleEndpoints
{
    /// <summary>
    /// Maps the operations at <paramref name="route"/>; <paramref name="owner"/> reads the owner's id
    /// from the route and answers it, or throws NotFound when there is no such owner.
    /// </summary>
    public static void MapAssignedRoles(
        this RouteGroupBuilder owners, string route, string tag, string what, Func<HttpContext, CancellationToken, Task<IdentityRef>> owner)
    {
        var roles = owners.MapGroup(route).WithTags(tag);
        roles.MapGet("", async (HttpContext context, RoleAssignments assignments, CancellationToken ct) =>
        {
            var of = await owner(context, ct);
            var page = IdentityPage.Parse(context.Request.Query, IdentityFilter.Roles);
            return Results.Json(page.Of(await assignments.ListAsync(of, ct), SystemAccountJson.Write, IdentityPage.RoleField), ApiJson.Options);
        })
            .WithSummary($"List a {what}'s own assigned roles: page[size], page[number], filter[role_name], filter[entity_type_name].")
            .Responds(200, "A page of assigned roles with meta.page")
            .Responds(400, "Invalid query parameters")
            .Responds(404, $"No such {what}");
        roles.MapPost("", async (HttpContext context, RoleAssignments assignments, CancellationToken ct) =>
        {
            var of = await owner(context, ct);
            var (role, entity, type, region) = SystemAccountJson.ReadAssignRole(await RequestBody.ReadObjectAsync(context.Request, ct));
            return Results.Json(SystemAccountJson.Write(await assignments.AssignAsync(of, role, entity, type, region, ct)), ApiJson.Options, statusCode: StatusCodes.Status201Created);
        })
            .WithSummary($"Assign a control plane role to a {what} (role_name, entity_id uuid or *, entity_type_name \"Control Planes\", entity_region).")
            .Responds(201, "Assigned")
            .Responds(400, "Invalid request")
            .Responds(404, $"No such {what}")
            .Responds(409, "Already assigned");
        roles.MapGet("/{roleId}", async (string roleId, HttpContext context, RoleAssignments assignments, CancellationToken ct) =>
            Results.Json(SystemAccountJson.Write(await assignments.GetAsync(await owner(context, ct), RoleId(roleId), ct)), ApiJson.Options))
            .WithSummary("Get an assigned role.")
            .Responds(200, "The assigned role")
            .Responds(404, "Not found");
        roles.MapDelete("/{roleId}", async (string roleId, HttpContext context, RoleAssignments assignments, CancellationToken ct) =>
        {
            await assignments.RemoveAsync(await owner(context, ct), RoleId(roleId), ct);
            return Results.NoContent();
        })
            .WithSummary($"Remove an assigned role: the {what}'s tokens lose it from the next request on (on other instances within seconds).")
            .Responds(204, "Removed")
            .Responds(404, "Not found");
    }

    /// <summary>The route value <paramref name="name"/> as an id, or NotFound naming <paramref name="what"/>.</summary>
    public static Guid RouteId(HttpContext context, string name, string what) =>
        PathIds.Parse(context.Request.RouteValues[name]?.ToString() ?? "", what);

    private static Guid RoleId(string value) => PathIds.Parse(value, "Assigned role");
}
