using Gatehouse.Core.Access;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.ControlPlanes;

/// <summary>
/// <c>/v2/control-planes</c>: list, create, get, update, delete. Under this prefix Konnect's
/// platform dialect (problem+json) is spoken, except where a more specific group says otherwise.
/// </summary>
internal static class ControlPlaneEndpoints
{
    public static void MapControlPlanes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes").WithErrorDialect(ErrorDialect.Problem).WithTags("Control Planes")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);

        group.MapGet("", async (HttpContext context, ControlPlaneService service, CancellationToken ct) =>
        {
            var (query, page, total) = await ListVisibleAsync(context, service, ct);
            var publicUrl = PublicUrl.Of(context);
            return Results.Json(new
            {
                meta = new { page = new { number = query.PageNumber, size = query.PageSize, total } },
                data = page.Select(cp => ControlPlaneJson.Write(cp, publicUrl)),
            }, ApiJson.Options);
        })
            .RequiresAccess(AccessRequirement.FilteredByEndpoint)
            .WithSummary("List control planes: page[size], page[number], filter[id|name|cluster_type][op], filter[cloud_gateway], labels, sort. " +
                "A system account sees those it holds Admin or Viewer on.")
            .Responds(200, "A page of control planes with meta.page")
            .Responds(400, "Invalid query parameters");

        group.MapPost("", async (HttpContext context, ControlPlaneService service, RoleAssignments roles, CancellationToken ct) =>
        {
            var request = ControlPlaneJson.ReadCreate(await RequestBody.ReadObjectAsync(context.Request, ct));
            var created = await service.CreateAsync(request, ct);
            await roles.GrantCreatorAdminAsync(context.Principal(), created.Id, ct);
            return Results.Json(ControlPlaneJson.Write(created, PublicUrl.Of(context)), ApiJson.Options, statusCode: StatusCodes.Status201Created);
        })
            .RequiresAccess(AccessRequirement.Creator)
            .WithSummary("Create a control plane (name required, unique). A system account or user needs Creator, and becomes Admin of what it creates.")
            .Responds(201, "Created")
            .Responds(400, "Invalid request")
            .Responds(409, "Name taken");

        group.MapGet("/{controlPlaneId}", async (string controlPlaneId, HttpContext context, ControlPlaneService service, CancellationToken ct) =>
            Results.Json(ControlPlaneJson.Write(await service.GetAsync(ControlPlaneId.Parse(controlPlaneId), ct), PublicUrl.Of(context)), ApiJson.Options))
            .WithSummary("Get a control plane.")
            .RequiresAccess(AccessRequirement.ReadsControlPlane)
            .Responds(200, "The control plane")
            .Responds(404, "Not found");

        group.MapPatch("/{controlPlaneId}", async (string controlPlaneId, HttpContext context, ControlPlaneService service, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var changes = ControlPlaneJson.ReadUpdate(await RequestBody.ReadObjectAsync(context.Request, ct));
            return Results.Json(ControlPlaneJson.Write(await service.UpdateAsync(id, changes, ct), PublicUrl.Of(context)), ApiJson.Options);
        })
            .WithSummary("Change name, description, auth_type, proxy_urls or labels.")
            .Responds(200, "Updated")
            .Responds(400, "Invalid request")
            .Responds(404, "Not found")
            .Responds(409, "Name taken, or the default control plane renamed");

        group.MapDelete("/{controlPlaneId}", async (string controlPlaneId, ControlPlaneService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(ControlPlaneId.Parse(controlPlaneId), ct);
            return Results.NoContent();
        })
            .WithSummary("Delete a control plane and every entity in it. The default control plane cannot be deleted.")
            .Responds(204, "Deleted")
            .Responds(404, "Not found")
            .Responds(409, "The default control plane");

        group.MapUnmatched();
    }

    /// <summary>
    /// The page of control planes the request's query asks for, among those its caller may see:
    /// only those are listed, and counted, so paging stays right. The summary lists the same.
    /// </summary>
    public static async Task<(ControlPlaneQuery Query, IReadOnlyList<ControlPlane> Page, int Total)> ListVisibleAsync(
        HttpContext context, ControlPlaneService service, CancellationToken ct)
    {
        var (query, errors) = ControlPlaneQuery.Parse(context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));
        if (query is null)
        {
            throw new RequestInvalidException("Request contains invalid query parameters.", errors);
        }
        var principal = context.Principal();
        var (page, total) = await service.ListAsync(query.VisibleOnly(cp => Permissions.MaySee(principal, cp.Id)), ct);
        return (query, page, total);
    }
}

/// <summary>Control plane ids in paths are UUIDs; anything else is a 400 naming the parameter, not a 404.</summary>
internal static class ControlPlaneId
{
    public static Guid Parse(string value) => Guid.TryParseExact(value, "D", out var id)
        ? id
        : throw new RequestInvalidException("Request contains invalid ID format.",
            [new InvalidParameter("controlPlaneId", "must be a valid UUID", "is_uuid")]);
}

/// <summary>
/// Where data planes reach this control plane: <c>Gatehouse:PublicUrl</c> when set (behind a
/// proxy or on Azure), else the scheme and host of the request.
/// </summary>
internal static class PublicUrl
{
    public static string Of(HttpContext context) =>
        context.RequestServices.GetRequiredService<IConfiguration>()["Gatehouse:PublicUrl"]?.TrimEnd('/')
        ?? $"{context.Request.Scheme}://{context.Request.Host}";
}
