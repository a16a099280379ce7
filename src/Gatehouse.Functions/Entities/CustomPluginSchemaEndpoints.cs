using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// <c>/v2/control-planes/{id}/core-entities/plugin-schemas[/{name}]</c>: Konnect's custom plugin
/// schemas (list, upload, get, create-or-replace, delete), in Konnect's older dialect as its spec
/// has them: <c>{"item": …}</c>, <c>{"items": […], "page": {"total_count": n}}</c>, errors
/// <c>{"message": …}</c>. A schema outside the subset Gatehouse reads is a 400 naming its line.
/// </summary>
internal static class CustomPluginSchemaEndpoints
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public static void MapCustomPluginSchemas(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup($"{CoreEntityEndpoints.Prefix}/plugin-schemas").WithErrorDialect(ErrorDialect.Legacy).WithTags("Custom Plugin Schemas")
            .RequiresAccess(AccessRequirement.CustomPlugins);
        var error = ApiSchemas.LegacyError;

        group.MapGet("", async (HttpContext context, CustomPluginSchemaService service, CancellationToken ct) =>
        {
            var (size, after) = PageCursor.ReadText(context.Request.Query, DefaultPageSize, MaxPageSize);
            var all = await service.ListAsync(CoreEntityEndpoints.ControlPlane(context), ct);
            // In name order, after the name the cursor holds: a schema deleted between pages does not lose the place.
            var rest = after is null ? all : [.. all.SkipWhile(item => string.CompareOrdinal(EntityChecks.Text(item["name"]), after) <= 0)];
            var page = new JsonObject { ["total_count"] = all.Count };
            if (rest.Count > size)
            {
                // Absent, not null, on the last page, as the nodes list has it.
                page["next"] = PageCursor.Of(EntityChecks.Text(rest[size - 1]["name"])!);
            }
            return Results.Json(new JsonObject { ["items"] = new JsonArray([.. rest.Take(size).Select(Item)]), ["page"] = page }, ApiJson.Options);
        })
            .WithSummary("List the control plane's custom plugin schemas, by name: page[size] (1 to 1000, default 100), page[after] (the previous page's page.next).")
            .Responds(200, "items, page.total_count, and page.next unless this is the last page", ApiSchemas.Object(new JsonObject
            {
                ["items"] = new JsonObject { ["type"] = "array", ["items"] = ItemSchema },
                ["page"] = ApiSchemas.Object(new JsonObject
                {
                    ["total_count"] = new JsonObject { ["type"] = "integer" },
                    ["next"] = new JsonObject { ["type"] = "string" },
                }),
            }))
            .Responds(400, "Bad page[size] or page[after]", error)
            .Responds(404, "No such control plane", error);

        group.MapPost("", async (HttpContext context, CustomPluginSchemaService service, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(CoreEntityEndpoints.ControlPlane(context), await LuaSchemaAsync(context, ct), ct);
            return Results.Json(new JsonObject { ["item"] = Item(created) }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        })
            .WithSummary("Upload a custom plugin schema (a plugin's schema.lua, in the declarative subset docs/kong-entities.md describes); it is named by its own 'name'.")
            .WithRequestBody(RequestSchema)
            .Responds(201, "Created", Wrapped)
            .Responds(400, "No lua_schema, or one outside the subset (the message names the line)", error)
            .Responds(404, "No such control plane", error)
            .Responds(409, "A schema of that name exists, or the name is a bundled plugin's", error);

        group.MapGet("/{name}", async (HttpContext context, string name, CustomPluginSchemaService service, CancellationToken ct) =>
            Results.Json(new JsonObject { ["item"] = Item(await service.GetAsync(CoreEntityEndpoints.ControlPlane(context), Uri.UnescapeDataString(name), ct)) }, ApiJson.Options))
            .WithSummary("Get a custom plugin schema by its plugin name.")
            .Responds(200, "The schema", Wrapped)
            .Responds(404, "No schema of that name, or no such control plane", error);

        group.MapPut("/{name}", async (HttpContext context, string name, CustomPluginSchemaService service, CancellationToken ct) =>
        {
            var lua = await LuaSchemaAsync(context, ct);
            var upserted = await service.UpsertAsync(CoreEntityEndpoints.ControlPlane(context), Uri.UnescapeDataString(name), lua, ct);
            return Results.Json(new JsonObject { ["item"] = Item(upserted) }, ApiJson.Options);
        })
            .WithSummary("Create or replace the custom plugin schema of this name; the schema's own 'name' must be the same.")
            .WithRequestBody(RequestSchema)
            .Responds(200, "Created or replaced", Wrapped)
            .Responds(400, "No lua_schema, one outside the subset (the message names the line), or one naming another plugin", error)
            .Responds(404, "No such control plane", error)
            .Responds(409, "The name is a bundled plugin's, or the new schema refuses a plugin stored under the old one (named, with why)", error);

        group.MapDelete("/{name}", async (HttpContext context, string name, CustomPluginSchemaService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(CoreEntityEndpoints.ControlPlane(context), Uri.UnescapeDataString(name), ct);
            return Results.NoContent();
        })
            .WithSummary("Delete a custom plugin schema; refused while plugins of that name remain.")
            .Responds(204, "Deleted")
            .Responds(404, "No schema of that name, or no such control plane", error)
            .Responds(409, "Plugins of that name still exist on the control plane", error);
    }

    /// <summary>The <c>lua_schema</c> string of the body, or the 400 that says it is missing.</summary>
    private static async Task<string> LuaSchemaAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        return body.TryGetProperty("lua_schema", out var lua) && lua.ValueKind == JsonValueKind.String && lua.GetString() is { Length: > 0 } text
            ? text
            : throw new RequestInvalidException("lua_schema: must be a non-empty string", []);
    }

    /// <summary>The stored schema as Konnect shows it: name, lua_schema and the timestamps (no id).</summary>
    private static JsonObject Item(JsonObject stored) => new()
    {
        ["lua_schema"] = stored["lua_schema"]?.DeepClone(),
        ["name"] = stored["name"]?.DeepClone(),
        ["created_at"] = stored["created_at"]?.DeepClone(),
        ["updated_at"] = stored["updated_at"]?.DeepClone(),
    };

    private static JsonObject ItemSchema => ApiSchemas.Object(new JsonObject
    {
        ["lua_schema"] = new JsonObject { ["type"] = "string", ["description"] = "The schema.lua text, as uploaded." },
        ["name"] = new JsonObject { ["type"] = "string", ["description"] = "The plugin name, from the schema's own 'name'." },
        ["created_at"] = new JsonObject { ["type"] = "integer" },
        ["updated_at"] = new JsonObject { ["type"] = "integer" },
    });

    private static JsonObject Wrapped => ApiSchemas.Object(new JsonObject { ["item"] = ItemSchema });

    private static JsonObject RequestSchema => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("lua_schema"),
        ["properties"] = new JsonObject { ["lua_schema"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } },
    };
}
