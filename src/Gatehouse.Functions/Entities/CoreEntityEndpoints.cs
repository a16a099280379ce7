using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Audit;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// <c>/v2/control-planes/{id}/core-entities/...</c>: the Kong Admin API surface Konnect exposes,
/// a route per collection and method for every entity type in <see cref="KongSchemas"/>, flat and
/// nested under the entity its foreign key points at (<c>/services/{id}/routes</c>,
/// <c>/upstreams/{id}/targets</c>, ...), consumer group membership, the schema endpoints, and
/// the stored plugins that no longer validate.
/// Errors are Kong's.
/// </summary>
internal static class CoreEntityEndpoints
{
    public const string Prefix = "/v2/control-planes/{controlPlaneId}/core-entities";

    public static void MapCoreEntities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithErrorDialect(ErrorDialect.Kong)
            .RequiresAccess(AccessRequirement.ControlPlaneRole)
            .KeepsAuditWithChange();
        foreach (var collection in EntityCollection.Of(KongSchemas.All))
        {
            MapCollection(group, collection);
        }
        group.MapMemberships();
        group.MapSchemas();
        group.MapInvalidPlugins();
        group.MapUnmatched();
        app.MapKonnectPluginSchema();
    }

    // Handlers are request delegates, not minimal-API lambdas: there are some hundred and fifty
    // routes, and each lambda would cost a compiled binder when the app starts.
    private static void MapCollection(RouteGroupBuilder parentGroup, EntityCollection collection)
    {
        // Each collection needs the permission of the entity it writes: a route under a service is a route.
        var group = parentGroup.MapGroup("").RequiresAccess(AccessRequirement.ControlPlaneEntity(collection.Schema.Name, collection.Parent?.Name));
        var schema = collection.Schema;
        var entity = ApiSchemas.Entity(schema);
        var error = ApiSchemas.KongError;
        var key = schema.EndpointKey is null ? "id" : $"id or {schema.EndpointKey}";

        group.MapGet(collection.Path, context => ExecuteAsync(context, ListAsync(context, collection)))
            .WithTags(schema.Name)
            .WithSummary($"List {schema.Name}: size (1-1000), offset, tags (a,b = all; a/b = any), filter[name][eq|contains].")
            .Responds(200, "A page: data, and next and offset while there is more");
        if (collection.AcceptsCreate)
        {
            group.MapPost(collection.Path, context => ExecuteAsync(context, CreateAsync(context, collection)))
                .WithTags(schema.Name)
                .WithSummary($"Create a {schema.Singular}.")
                .WithSkipHash(schema)
                .WithRequestBody(entity)
                .Responds(201, "Created", entity)
                .Responds(400, "Invalid", error)
                .Responds(404, "The parent in the path does not exist", error)
                .Responds(409, "A unique value is taken", error);
        }
        var answer = ItemAnswer.For(schema);
        answer.Document(group.MapGet(collection.ItemPath, context => ExecuteAsync(context, GetAsync(context, collection, answer))), schema)
            .WithTags(schema.Name)
            .WithSummary($"Get a {schema.Singular} by {key}.")
            .Responds(404, "Not found", error);
        group.MapPut(collection.ItemPath, context => ExecuteAsync(context, UpsertAsync(context, collection)))
            .WithTags(schema.Name)
            .WithSummary($"Create or replace a {schema.Singular} at this {key}.")
            .WithSkipHash(schema)
            .WithRequestBody(entity)
            .Responds(200, "Created or replaced", entity)
            .Responds(400, "Invalid", error)
            .Responds(409, "A unique value is taken", error);
        if (schema.Patchable)
        {
            group.MapPatch(collection.ItemPath, context => ExecuteAsync(context, UpdateAsync(context, collection)))
                .WithTags(schema.Name)
                .WithSummary($"Change fields of a {schema.Singular}; the merged result is validated.")
                .WithRequestBody(entity)
                .Responds(200, "Updated", entity)
                .Responds(400, "Invalid", error)
                .Responds(404, "Not found", error);
        }
        group.MapDelete(collection.ItemPath, context => ExecuteAsync(context, DeleteAsync(context, collection)))
            .WithTags(schema.Name)
            .WithSummary($"Delete a {schema.Singular}, and what Kong cascades to.")
            .Responds(204, "Deleted, or there was none")
            .Responds(400, "Other entities still reference it", error);
    }

    private static async Task<IResult> ListAsync(HttpContext context, EntityCollection collection)
    {
        var controlPlane = ControlPlane(context);
        var page = await Service(context).ListAsync(controlPlane, collection.Schema, ListQuery(context), collection.Scope(context), context.RequestAborted);
        return ListResult(context, page);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, EntityCollection collection)
    {
        var created = await Service(context).CreateAsync(
            ControlPlane(context), collection.Schema, await ReadAsync(context), collection.Scope(context), context.RequestAborted, Options(context, collection.Schema));
        return Results.Json(created, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(HttpContext context, EntityCollection collection, ItemAnswer answer)
    {
        var controlPlane = ControlPlane(context);
        var entity = await Service(context).GetAsync(controlPlane, collection.Schema, Key(context, collection), collection.Scope(context), context.RequestAborted);
        return Results.Json(await answer.ShapeAsync(context, controlPlane, entity), ApiJson.Options);
    }

    private static async Task<IResult> UpsertAsync(HttpContext context, EntityCollection collection) =>
        Results.Json(await Service(context).UpsertAsync(
            ControlPlane(context), collection.Schema, Key(context, collection), await ReadAsync(context), collection.Scope(context), context.RequestAborted,
            Options(context, collection.Schema)), ApiJson.Options);

    private static async Task<IResult> UpdateAsync(HttpContext context, EntityCollection collection) =>
        Results.Json(await Service(context).UpdateAsync(
            ControlPlane(context), collection.Schema, Key(context, collection), await ReadAsync(context), collection.Scope(context), context.RequestAborted), ApiJson.Options);

    private static async Task<IResult> DeleteAsync(HttpContext context, EntityCollection collection)
    {
        await Service(context).DeleteAsync(ControlPlane(context), collection.Schema, Key(context, collection), collection.Scope(context), context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>
    /// How the body reads: Admin API ttl, and for a type with an on-write transformation (basic-auth)
    /// Konnect's <c>?skip_hash=true</c>, which stores a password that is hashed already.
    /// </summary>
    private static WriteOptions Options(HttpContext context, EntitySchema schema) =>
        schema.Transform is null ? WriteOptions.AdminApi : context.Request.Query[SkipHash].ToString() switch
        {
            "" or "false" => WriteOptions.AdminApi,
            "true" => WriteOptions.AdminApi with { Transform = false },
            _ => throw new EntityRejectedException(Rejection.Invalid, $"invalid option ({SkipHash}: expected a boolean)", [new FieldError(SkipHash, "expected a boolean")]),
        };

    private const string SkipHash = "skip_hash";

    private static IEndpointConventionBuilder WithSkipHash(this IEndpointConventionBuilder route, EntitySchema schema) =>
        schema.Transform is null ? route : route.WithParameter(ApiSchemas.Query(SkipHash, new JsonObject { ["type"] = "boolean", ["default"] = false }, required: false,
            "true: the password is already hashed as Kong stores it (sha1 of the password and the consumer's id, in hex); it is stored as given."));

    /// <summary>Writes what a handler answers.</summary>
    public static async Task ExecuteAsync(HttpContext context, Task<IResult> handler) => await (await handler).ExecuteAsync(context);

    /// <summary>The control plane in the path; a 400 when it is no UUID, checked before anything else.</summary>
    public static Guid ControlPlane(HttpContext context) => ControlPlaneId.Parse((string)context.GetRouteValue("controlPlaneId")!);

    /// <summary>Kong's list parameters: size, offset, tags, filter.</summary>
    public static EntityListQuery ListQuery(HttpContext context) =>
        EntityListQuery.Parse(context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));

    private static EntityService Service(HttpContext context) => context.RequestServices.GetRequiredService<EntityService>();

    private static string Key(HttpContext context, EntityCollection collection) => EntityCollection.Key(context, collection.Schema);

    public static async Task<JsonObject> ReadAsync(HttpContext context) =>
        JsonObject.Create(await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted))!;

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
}
