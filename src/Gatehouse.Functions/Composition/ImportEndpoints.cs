using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Import;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// <c>PUT /v2/control-planes/{id}/declarative-config</c>: a kong.yaml (YAML or JSON) becomes the
/// control plane's entities, decK <c>sync</c> style; <c>?dry_run=true</c> answers the diff and writes nothing.
/// </summary>
internal static class ImportEndpoints
{
    /// <summary>Files are larger than entity bodies: a configuration of tens of thousands of entities fits.</summary>
    public const int MaxImportBytes = 25 * 1024 * 1024;

    public static void MapDeclarativeImport(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v2/control-planes/{controlPlaneId}/declarative-config", async (
            string controlPlaneId, HttpContext context, ControlPlaneService controlPlanes, ConfigImporter importer,
            ILoggerFactory loggers, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var dryRun = DryRun(context.Request.Query["dry_run"]);
            await controlPlanes.GetAsync(id, ct);
            var document = await ReadDocumentAsync(context.Request, ct);
            var result = await importer.ImportAsync(id, document, dryRun, ct);
            if (result.Applied)
            {
                loggers.CreateLogger(typeof(ImportEndpoints)).LogInformation(
                    "Imported declarative config into {ControlPlaneId}: {Created} created, {Updated} updated, {Deleted} deleted, {Unchanged} unchanged, in {Commits} commit(s), now at revision {Revision}",
                    id, result.Plan.Count(ImportAction.Create), result.Plan.Count(ImportAction.Update), result.Plan.Count(ImportAction.Delete),
                    result.Plan.Unchanged, result.Commits, result.Revision);
            }
            return Results.Json(ImportJson.Result(result, dryRun), ApiJson.Options);
        })
            .WithErrorDialect(ErrorDialect.Problem)
            .RequiresAccess(AccessRequirement.ControlPlaneRole)
            .WithTags("Declarative Config")
            .WithSummary("Make the control plane's entities exactly this kong.yaml (application/yaml or application/json; decK sync: create, update, delete). " +
                "Nested or flat, references by name or id; _info.select_tags limits what the file manages. All or nothing: data planes see the old configuration or the new one.")
            .WithParameter(ApiSchemas.Query("dry_run", new JsonObject { ["type"] = "boolean", ["default"] = false }, required: false, "true: answer the diff and write nothing."))
            .WithRequestBody(new JsonObject { ["type"] = "object", ["description"] = "Kong declarative config, _format_version \"3.0\"" })
            .Responds(200, "Applied (or, with dry_run, what would be)", ApiSchemas.Ref("ImportResult"))
            .Responds(400, "The file is invalid: every entity's errors, with where it is in the file", ApiSchemas.Ref("DeclarativeConfigError"))
            .Responds(404, "No such control plane")
            .Responds(409, "Another import is being applied", ApiSchemas.KongError)
            .Responds(413, "Larger than 25 MiB")
            .Responds(415, "Neither JSON nor YAML");
    }

    /// <summary><c>?dry_run=true|false</c>, as the import and a version's restore take it.</summary>
    public static bool DryRun(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() switch
    {
        "" or "false" => false,
        "true" => true,
        var other => throw new RequestInvalidException("Invalid query parameter.",
            [new InvalidParameter("dry_run", $"expected true or false, not '{other}'", "enum")]),
    };

    /// <summary>The body as a JSON object, from JSON or YAML by Content-Type (without one, by its first character).</summary>
    private static async Task<JsonObject> ReadDocumentAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = await RequestBody.ReadAsync(request, MaxImportBytes, ct);
        if (buffer.Length == 0)
        {
            throw new RequestInvalidException("Request cannot be empty.", [new InvalidParameter("body", "cannot be empty", "required")]);
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new RequestInvalidException("Invalid request format.", [new InvalidParameter("body", "is not UTF-8 text", "invalid")]);
        }
        var mediaType = request.GetTypedHeaders().ContentType?.MediaType.Value;
        var json = mediaType switch
        {
            "application/json" => true,
            "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml" => false,
            null => text.TrimStart().StartsWith('{'),
            _ => throw new UnsupportedMediaTypeException(mediaType),
        };
        JsonNode? node;
        if (json)
        {
            try
            {
                node = JsonNode.Parse(text, documentOptions: ApiJson.DocumentOptions);
            }
            catch (JsonException e)
            {
                throw new RequestInvalidException("Invalid request format.", [new InvalidParameter("body", $"request format is invalid: {e.Message}", "invalid")]);
            }
        }
        else
        {
            node = YamlDocument.Parse(text);
        }
        return node as JsonObject ?? throw new RequestInvalidException("Invalid request format.",
            [new InvalidParameter("body", "must be a declarative config: an object with _format_version and entity sections", "is_object")]);
    }
}

/// <summary>The Content-Type is neither JSON nor YAML: 415.</summary>
internal sealed class UnsupportedMediaTypeException(string mediaType)
    : Exception($"Content-Type {mediaType} is not supported: send application/json or application/yaml.");
