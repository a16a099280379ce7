using System.Text.Json;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Import;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Composition;

/// <summary>How an import's outcome and its refusal read on the wire.</summary>
internal static class ImportJson
{
    public static object Result(ImportResult result, bool dryRun) => new
    {
        dry_run = dryRun,
        applied = result.Applied,
        revision = result.Revision,
        summary = Summary(result.Plan),
        changes = Changes(result.Plan),
    };

    /// <summary>A plan's counts: what a dry run, a restore and a diff of two versions all answer.</summary>
    public static object Summary(ImportPlan plan) => new
    {
        creating = plan.Count(ImportAction.Create),
        updating = plan.Count(ImportAction.Update),
        deleting = plan.Count(ImportAction.Delete),
        unchanged = plan.Unchanged,
    };

    /// <summary>A plan's entity changes, each with its type, id, name, and for an update the fields that change.</summary>
    public static IEnumerable<object> Changes(ImportPlan plan) => plan.Changes.Select(c => new
    {
        action = c.Action switch { ImportAction.Create => "create", ImportAction.Update => "update", _ => "delete" },
        entity_type = c.Schema.Singular,
        id = c.Id,
        name = NameOf(c.Schema, c.Entity),
        changed_fields = c.Action == ImportAction.Update ? c.ChangedFields : null,
    });

    /// <summary>
    /// Kong's answer to an invalid declarative config (<c>POST /config?flatten_errors=1</c>):
    /// code 14, and <c>flattened_errors</c> naming each entity and its errors; we add where in the
    /// file it is (<c>entity_path</c>), since a file's entities often have no id yet.
    /// </summary>
    public static Task WriteRejectionAsync(HttpContext context, ImportRejectedException rejection)
    {
        context.Response.StatusCode = 400;
        context.Response.ContentType = "application/json";
        var body = new
        {
            code = 14,
            name = "invalid declarative configuration",
            message = rejection.Message,
            flattened_errors = rejection.Errors.Select(e => new
            {
                entity_type = e.EntityType,
                entity_path = e.Path,
                entity_name = e.EntityName,
                entity_id = e.EntityId,
                errors = e.Errors.Select(f => f.Path is null
                    ? (object)new { type = "entity", message = f.Message }
                    : new { type = "field", field = f.Path, message = f.Message }),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ApiJson.Options), context.RequestAborted);
    }

    private static string? NameOf(EntitySchema schema, System.Text.Json.Nodes.JsonObject entity) =>
        EntityChecks.Text(entity[schema.EndpointKey ?? "name"]) ?? EntityChecks.Text(entity["name"]) ?? EntityChecks.Text(entity["target"]);
}
