using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// <c>GET .../core-entities/invalid-plugins</c>, Gatehouse's own (Konnect has nothing like it):
/// the plugins stored before every plugin's config was validated on write that today's schemas
/// refuse, each with Kong's schema violation for it (<see cref="InvalidPlugins"/>). Paged and
/// filtered as the plugins list is.
/// </summary>
internal static class InvalidPluginEndpoints
{
    public static void MapInvalidPlugins(this RouteGroupBuilder group)
    {
        var item = ApiSchemas.Object(new JsonObject
        {
            ["plugin"] = ApiSchemas.Entity(Plugins.Schema),
            ["error"] = ApiSchemas.KongSchemaViolation,
        });
        item["required"] = new JsonArray("plugin", "error");
        group.MapGet("/invalid-plugins", context => CoreEntityEndpoints.ExecuteAsync(context, ListAsync(context)))
            .WithTags("plugins")
            .WithSummary("Gatehouse's own: the stored plugins that today's schemas refuse (stored before validation), each as stored with "
                + "what a PUT of it would be refused for; fix one with PATCH or PUT. size (1-1000), offset, tags, filter[name][eq|contains].")
            .Responds(200, "A page: data, and next and offset while there is more", ApiSchemas.Object(new JsonObject
            {
                ["data"] = new JsonObject { ["type"] = "array", ["items"] = item },
                ["next"] = new JsonObject { ["type"] = "string" },
                ["offset"] = new JsonObject { ["type"] = "string" },
            }))
            .Responds(400, "Invalid list parameters", ApiSchemas.KongError)
            .RequiresAccess(AccessRequirement.ControlPlaneEntity(Plugins.Schema.Name))
            .Responds(404, "No such control plane", ApiSchemas.KongError);
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var check = context.RequestServices.GetRequiredService<InvalidPlugins>();
        var page = await check.ListAsync(CoreEntityEndpoints.ControlPlane(context), CoreEntityEndpoints.ListQuery(context), context.RequestAborted);
        var items = page.Items.Select(invalid => new JsonObject
        {
            ["plugin"] = invalid.Plugin,
            ["error"] = KongSchemaViolation.Body(invalid.Errors),
        }).ToList();
        return CoreEntityEndpoints.ListResult(context, new EntityPage(items, page.Next));
    }
}
