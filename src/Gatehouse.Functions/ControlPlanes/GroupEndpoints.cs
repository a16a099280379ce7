using System.Text.Json;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.ControlPlanes;

/// <summary>
/// Control plane groups: <c>/group-memberships</c> (GET with cursor paging, PUT), <c>/add</c>,
/// <c>/remove</c>, <c>/group-member-status</c>; in Konnect's shapes and problem+json errors.
/// </summary>
internal static class GroupEndpoints
{
    private const int DefaultPageSize = 100;

    public static void MapGroups(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}").WithErrorDialect(ErrorDialect.Problem).WithTags("Control Plane Groups")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);

        group.MapGet("/group-memberships", async (string controlPlaneId, HttpContext context, ControlPlaneGroups groups, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var (size, after) = PageCursor.Read(context.Request.Query, DefaultPageSize, ControlPlaneGroups.MaxMembers);
            var (page, next, total) = await groups.ListAsync(id, size, after, ct);
            var meta = new Dictionary<string, object?>
            {
                ["next"] = next is { } n ? $"/v2/control-planes/{id}/group-memberships?page[size]={size}&page[after]={PageCursor.Of(n)}" : null,
                ["size"] = size,
            };
            if (after is null)
            {
                // The spec gives the total on the first page only.
                meta["total"] = total;
            }
            var publicUrl = PublicUrl.Of(context);
            return Results.Json(new { meta = new { page = meta }, data = page.Select(cp => ControlPlaneJson.Write(cp, publicUrl)) }, ApiJson.Options);
        })
            .WithSummary("A group's members (page[size], page[after]).")
            .Responds(200, "data and meta.page.next")
            .Responds(400, "Not a group");

        group.MapPut("/group-memberships", (string controlPlaneId, HttpContext context, ControlPlaneGroups groups, CancellationToken ct) =>
            ChangeMembersAsync(controlPlaneId, context, groups.ReplaceAsync, ct))
            .WithSummary("Replace a group's members (at most 256).")
            .Responds(204, "Replaced")
            .Responds(400, "Invalid members");

        group.MapPost("/group-memberships/add", (string controlPlaneId, HttpContext context, ControlPlaneGroups groups, CancellationToken ct) =>
            ChangeMembersAsync(controlPlaneId, context, groups.AddAsync, ct))
            .WithSummary("Add up to 50 members.")
            .Responds(204, "Done")
            .Responds(400, "Invalid members");

        group.MapPost("/group-memberships/remove", (string controlPlaneId, HttpContext context, ControlPlaneGroups groups, CancellationToken ct) =>
            ChangeMembersAsync(controlPlaneId, context, groups.RemoveAsync, ct))
            .WithSummary("Remove up to 50 members.")
            .Responds(204, "Done")
            .Responds(400, "Invalid members");

        group.MapGet("/group-member-status", async (string controlPlaneId, ControlPlaneGroups groups, CancellationToken ct) =>
            Results.Json(new { is_member = await groups.IsMemberAsync(ControlPlaneId.Parse(controlPlaneId), ct) }, ApiJson.Options))
            .WithSummary("Whether this control plane is a member of a group.")
            .RequiresAccess(AccessRequirement.ReadsControlPlane)
            .Responds(200, "is_member");
    }

    /// <summary>Konnect's <c>{"members":[{"id":"…"}]}</c>, every id a UUID.</summary>
    /// <summary>Replace, add and remove differ only in what they do with the members the body lists.</summary>
    private static async Task<IResult> ChangeMembersAsync(
        string controlPlaneId, HttpContext context, Func<Guid, IReadOnlyList<Guid>, CancellationToken, Task> change, CancellationToken ct)
    {
        var id = ControlPlaneId.Parse(controlPlaneId);
        await change(id, Members(await RequestBody.ReadObjectAsync(context.Request, ct)), ct);
        return Results.NoContent();
    }

    private static List<Guid> Members(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, new HashSet<string> { "members" }, errors);
        var members = new List<Guid>();
        if (fields.Array("members") is { } array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var prefix = $"members[{index++}].";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(InvalidParameter.WrongType(prefix.TrimEnd('.'), "is_object", "an object"));
                    continue;
                }
                var member = new JsonFields(item, new HashSet<string> { "id" }, errors, prefix);
                if (member.String("id") is not { } text)
                {
                    if (!member.Has("id"))
                    {
                        errors.Add(InvalidParameter.Required(prefix + "id"));
                    }
                }
                else if (Guid.TryParseExact(text, "D", out var id))
                {
                    members.Add(id);
                }
                else
                {
                    errors.Add(new InvalidParameter(prefix + "id", "must be a valid UUID", "is_uuid"));
                }
            }
        }
        else if (!fields.Has("members"))
        {
            errors.Add(InvalidParameter.Required("members"));
        }
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Request contains invalid parameters.", errors);
        }
        return members;
    }
}
