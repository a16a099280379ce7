using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// <c>/v2/control-planes/{id}/core-entities/...</c>: the Kong Admin API surface Konnect exposes,
/// for every entity type in <see cref="KongSchemas"/>, flat and nested under the entity its
/// foreign key points at (<c>/services/{id}/routes</c>, <c>/upstreams/{id}/targets</c>, ...).
/// </summary>
internal static class CoreEntityEndpoints
{
    public static void MapCoreEntities(this IEndpointRouteBuilder app)
    {
        app.Map("/v2/control-planes/{controlPlaneId}/core-entities/{**path}", HandleAsync);
    }

    private static async Task<IResult> HandleAsync(
        string controlPlaneId, string? path, HttpContext context, EntityService service, ConsumerGroupMemberships memberships, CancellationToken ct)
    {
        var controlPlane = ControlPlaneId.Parse(controlPlaneId);
        var segments = EntityRoute.Segments(path);
        if (await MembershipEndpoints.TryHandleAsync(controlPlane, segments, context, memberships, ct) is { } membership)
        {
            return membership;
        }
        var route = EntityRoute.Parse(segments);
        if (route is null)
        {
            return NotFound();
        }
        var (schema, key, scope) = route.Value;
        var method = context.Request.Method;

        if (key is null)
        {
            if (HttpMethods.IsGet(method))
            {
                var query = EntityListQuery.Parse(context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));
                var page = await service.ListAsync(controlPlane, schema, query, scope, ct);
                return ListResult(context, page);
            }
            if (HttpMethods.IsPost(method))
            {
                if (schema.NestedOnlyUnder is { } parent && scope?.Schema.Name != parent)
                {
                    return MethodNotAllowed();
                }
                var created = await service.CreateAsync(controlPlane, schema, await ReadAsync(context, ct), scope, ct);
                return Results.Json(created, ApiJson.Options, statusCode: StatusCodes.Status201Created);
            }
            return MethodNotAllowed();
        }

        if (HttpMethods.IsGet(method))
        {
            return Results.Json(await service.GetAsync(controlPlane, schema, key, scope, ct), ApiJson.Options);
        }
        if (HttpMethods.IsPut(method))
        {
            return Results.Json(await service.UpsertAsync(controlPlane, schema, key, await ReadAsync(context, ct), scope, ct), ApiJson.Options);
        }
        if (HttpMethods.IsPatch(method))
        {
            return Results.Json(await service.UpdateAsync(controlPlane, schema, key, await ReadAsync(context, ct), scope, ct), ApiJson.Options);
        }
        if (HttpMethods.IsDelete(method))
        {
            await service.DeleteAsync(controlPlane, schema, key, scope, ct);
            return Results.NoContent();
        }
        return MethodNotAllowed();
    }

    private static async Task<JsonObject> ReadAsync(HttpContext context, CancellationToken ct) =>
        JsonObject.Create(await RequestBody.ReadObjectAsync(context.Request, ct))!;

    /// <summary>
    /// Kong's list shape. On the last page <c>next</c> and <c>offset</c> are left out rather than
    /// null: the Konnect spec types both as strings, and Kong's clients treat absent as the end.
    /// </summary>
    public static IResult ListResult(HttpContext context, EntityPage page)
    {
        string? offset = page.Next is null ? null : EntityListQuery.FormatOffset(page.Next);
        string? next = null;
        if (offset is not null)
        {
            next = $"{context.Request.PathBase}{context.Request.Path}?offset={Uri.EscapeDataString(offset)}";
            if (context.Request.Query.TryGetValue("size", out var size))
            {
                next += $"&size={Uri.EscapeDataString(size.ToString())}";
            }
            if (context.Request.Query.TryGetValue("tags", out var tags))
            {
                next += $"&tags={Uri.EscapeDataString(tags.ToString())}";
            }
        }
        var body = new JsonObject { ["data"] = new JsonArray([.. page.Items]) };
        if (offset is not null)
        {
            body["next"] = next;
            body["offset"] = offset;
        }
        return Results.Json(body, ApiJson.Options);
    }

    private static IResult NotFound() => Results.Json(new { code = 5, message = "Not found" }, ApiJson.Options, statusCode: StatusCodes.Status404NotFound);

    private static IResult MethodNotAllowed() =>
        Results.Json(new { code = 12, message = "Method not allowed" }, ApiJson.Options, statusCode: StatusCodes.Status405MethodNotAllowed);
}

/// <summary>The entity type, key and parent a core-entities path names.</summary>
internal static class EntityRoute
{
    public static string[] Segments(string? path) =>
        (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();

    public static (EntitySchema Schema, string? Key, ParentScope? Scope)? Parse(string[] segments)
    {
        switch (segments.Length)
        {
            case 1 or 2 when KongSchemas.FindPublic(segments[0]) is { } schema:
                return (schema, segments.Length == 2 ? segments[1] : null, null);
            case 3 or 4 when KongSchemas.FindPublic(segments[0]) is { } parent && KongSchemas.FindPublic(segments[2]) is { } child
                && child.ForeignKeys.FirstOrDefault(f => f.Reference == parent.Name) is { } field:
                return (child, segments.Length == 4 ? segments[3] : null, new ParentScope(parent, segments[1], field));
            default:
                return null;
        }
    }
}
