using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// Konnect's schema endpoints under core-entities: the plugins a control plane takes
/// (<c>/v1/available-plugins</c>, which Konnect's UI reads; the spec leaves it out), a plugin's
/// schema in Kong's own JSON (<c>/schemas/plugins/{pluginName}</c>, and where Konnect's UI reads it),
/// and validation without
/// writing (<c>/schemas/{entityName}/validate</c>), answered as Kong's Admin API answers them.
/// </summary>
internal static class SchemaEndpoints
{
    public static void MapSchemas(this RouteGroupBuilder parentGroup)
    {
        // Kong's schemas are no configuration: whoever holds a role on the control plane reads them, and validates against them.
        var group = parentGroup.MapGroup("").RequiresAccess(AccessRequirement.ReadsControlPlane);
        var error = ApiSchemas.KongError;
        group.MapGet("/v1/available-plugins", context => CoreEntityEndpoints.ExecuteAsync(context, AvailablePluginsAsync(context)))
            .WithTags("plugins")
            .WithSummary("The names of the plugins this control plane takes, sorted: those whose configs it validates.")
            .Responds(200, "The plugin names", ApiSchemas.Object(new JsonObject
            {
                ["names"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            }))
            .Responds(404, "No such control plane", error);
        group.MapPluginSchema("/schemas/plugins/{pluginName}");
        group.MapPost("/schemas/{entityName}/validate", context => CoreEntityEndpoints.ExecuteAsync(context, ValidateAsync(context)))
            .WithTags("schemas")
            .WithSummary("Validate an entity (plugins: by its name's schema) as a create would, storing nothing; Kong's schema violation when invalid.")
            .WithRequestBody(new JsonObject { ["type"] = "object" })
            .Responds(200, "Valid", ApiSchemas.Object(new JsonObject { ["message"] = new JsonObject { ["const"] = "schema validation successful" } }))
            .Responds(400, "Kong's schema violation, or a body that is not a JSON object", new JsonObject { ["anyOf"] = new JsonArray(ApiSchemas.KongSchemaViolation, error) })
            .Responds(404, "No entity of that name, or no such control plane", error);
    }

    /// <summary>
    /// The same plugin schema where Konnect's UI asks for it, outside core-entities
    /// (<c>/v2/control-planes/{id}/schemas/core-entities/plugins/{pluginName}</c>): Kong's plugin form
    /// reads it there in Konnect mode.
    /// </summary>
    public static void MapKonnectPluginSchema(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v2/control-planes/{controlPlaneId}/schemas/core-entities").WithErrorDialect(ErrorDialect.Kong)
            .RequiresAccess(AccessRequirement.ReadsControlPlane)
            .MapPluginSchema("/plugins/{pluginName}");

    private static void MapPluginSchema(this RouteGroupBuilder group, string path) =>
        group.MapGet(path, context => CoreEntityEndpoints.ExecuteAsync(context, PluginSchemaAsync(context)))
            .WithTags("plugins")
            .WithSummary("A plugin's schema in Kong's JSON, as Kong's Admin API answers /schemas/plugins/{name}.")
            .Responds(200, "fields and entity_checks, each an array of one-key objects", PluginSchemaJson)
            .Responds(404, "No plugin of that name, or no such control plane", ApiSchemas.KongError);

    private static async Task<IResult> AvailablePluginsAsync(HttpContext context)
    {
        var names = await Service(context).AvailablePluginsAsync(CoreEntityEndpoints.ControlPlane(context), context.RequestAborted);
        return Results.Json(new JsonObject { ["names"] = SchemaRules.Strings(names) }, ApiJson.Options);
    }

    private static async Task<IResult> PluginSchemaAsync(HttpContext context) =>
        Results.Json(await Service(context).PluginSchemaAsync(
            CoreEntityEndpoints.ControlPlane(context), RouteValue(context, "pluginName"), context.RequestAborted), ApiJson.Options);

    private static async Task<IResult> ValidateAsync(HttpContext context)
    {
        var controlPlane = CoreEntityEndpoints.ControlPlane(context);
        var entity = RouteValue(context, "entityName");
        var errors = await Service(context).ValidateAsync(controlPlane, entity, await CoreEntityEndpoints.ReadAsync(context), context.RequestAborted);
        return errors.Count == 0
            ? Results.Json(new JsonObject { ["message"] = "schema validation successful" }, ApiJson.Options)
            : Results.Json(KongSchemaViolation.Body(errors), ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
    }

    private static string RouteValue(HttpContext context, string name) => Uri.UnescapeDataString((string)context.GetRouteValue(name)!);

    private static SchemaService Service(HttpContext context) => context.RequestServices.GetRequiredService<SchemaService>();

    private static JsonObject OneKeyObjects => new()
    {
        ["type"] = "array",
        ["items"] = new JsonObject { ["type"] = "object", ["minProperties"] = 1, ["maxProperties"] = 1 },
    };

    private static JsonObject PluginSchemaJson => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("fields", "entity_checks"),
        ["properties"] = new JsonObject { ["fields"] = OneKeyObjects, ["entity_checks"] = OneKeyObjects },
    };
}
