using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Functions.Documentation;

/// <summary>JSON Schema pieces the endpoints' documentation is written with.</summary>
internal static class ApiSchemas
{
    /// <summary>A schema of <c>components.schemas</c>.</summary>
    public static JsonObject Ref(string component) => new() { ["$ref"] = $"#/components/schemas/{component}" };

    /// <summary>The core-entities error body.</summary>
    public static JsonObject KongError => Ref("KongError");

    /// <summary>The <c>{"message"}</c> error body of Konnect's older endpoints and the data plane API.</summary>
    public static JsonObject LegacyError => Ref("LegacyError");

    /// <summary>Kong's own schema violation body (code 2), as <c>/schemas/{entity}/validate</c> answers it.</summary>
    public static JsonObject KongSchemaViolation => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("code", "name", "message", "fields"),
        ["properties"] = new JsonObject
        {
            ["code"] = new JsonObject { ["const"] = 2 },
            ["name"] = new JsonObject { ["const"] = "schema violation" },
            ["message"] = new JsonObject { ["type"] = "string" },
            ["fields"] = new JsonObject { ["type"] = "object", ["description"] = "The errors by field, nested as the entity is; the entity's own under @entity" },
        },
    };

    /// <summary>A core entity, as the Admin API reads and writes it.</summary>
    public static JsonObject Entity(EntitySchema schema) => Ref(ComponentName(schema));

    /// <summary>An object with these properties.</summary>
    public static JsonObject Object(JsonObject properties) => new() { ["type"] = "object", ["properties"] = properties };

    /// <summary>A query parameter.</summary>
    public static JsonObject Query(string name, JsonObject schema, bool required, string? description = null)
    {
        var parameter = new JsonObject { ["name"] = name, ["in"] = "query" };
        if (required)
        {
            parameter["required"] = true;
        }
        if (description is not null)
        {
            parameter["description"] = description;
        }
        parameter["schema"] = schema;
        return parameter;
    }

    /// <summary>The name of an entity's schema in the document, such as CaCertificate.</summary>
    public static string ComponentName(EntitySchema schema) =>
        string.Concat(schema.Singular.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
