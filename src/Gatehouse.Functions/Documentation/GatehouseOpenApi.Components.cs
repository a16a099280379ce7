using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Functions.Documentation;

internal static partial class GatehouseOpenApi
{
    /// <summary>The schemas of <c>components.schemas</c>: Konnect's shapes, and the entity schemas that validate requests.</summary>
    private static JsonObject Schemas()
    {
        var schemas = new JsonObject();
        DpCertificateSchemas.AddComponents(schemas);
        DataPlaneSchemas.AddComponents(schemas);
        DpQuickStartSchemas.AddComponents(schemas);
        foreach (var schema in KongSchemas.All.Where(s => !s.Internal))
        {
            schemas[ApiSchemas.ComponentName(schema)] = EntitySchemaJson(schema);
        }
        schemas["ImportResult"] = ImportResultJson();
        schemas["DeclarativeConfigError"] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("code", "name", "message", "flattened_errors"),
            ["properties"] = new JsonObject
            {
                ["code"] = new JsonObject { ["type"] = "integer", ["const"] = 14 },
                ["name"] = new JsonObject { ["type"] = "string" },
                ["message"] = new JsonObject { ["type"] = "string" },
                ["flattened_errors"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("entity_path", "errors"),
                        ["properties"] = new JsonObject
                        {
                            ["entity_type"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                            ["entity_path"] = new JsonObject { ["type"] = "string", ["description"] = "Where the entity is in the file, e.g. services[0].routes[1]" },
                            ["entity_name"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                            ["entity_id"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                            ["errors"] = new JsonObject
                            {
                                ["type"] = "array",
                                ["items"] = new JsonObject
                                {
                                    ["type"] = "object",
                                    ["required"] = new JsonArray("type", "message"),
                                    ["properties"] = new JsonObject
                                    {
                                        ["type"] = new JsonObject { ["enum"] = new JsonArray("field", "entity") },
                                        ["field"] = new JsonObject { ["type"] = "string" },
                                        ["message"] = new JsonObject { ["type"] = "string" },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        };
        schemas["KongError"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["code"] = new JsonObject { ["type"] = "integer" },
                ["message"] = new JsonObject { ["type"] = "string" },
                ["details"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" } },
            },
        };

        return schemas;
    }

    private static JsonObject ImportResultJson()
    {
        var count = new JsonObject { ["type"] = "integer", ["minimum"] = 0 };
        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("dry_run", "applied", "revision", "summary", "changes"),
            ["properties"] = new JsonObject
            {
                ["dry_run"] = new JsonObject { ["type"] = "boolean" },
                ["applied"] = new JsonObject { ["type"] = "boolean", ["description"] = "false for a dry run, or when nothing changes" },
                ["revision"] = new JsonObject { ["type"] = "integer", ["description"] = "The control plane's revision after the import" },
                ["summary"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("creating", "updating", "deleting", "unchanged"),
                    ["properties"] = new JsonObject
                    {
                        ["creating"] = count.DeepClone(),
                        ["updating"] = count.DeepClone(),
                        ["deleting"] = count.DeepClone(),
                        ["unchanged"] = count.DeepClone(),
                    },
                },
                ["changes"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("action", "entity_type", "id"),
                        ["properties"] = new JsonObject
                        {
                            ["action"] = new JsonObject { ["enum"] = new JsonArray("create", "update", "delete") },
                            ["entity_type"] = new JsonObject { ["type"] = "string" },
                            ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                            ["name"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                            ["changed_fields"] = new JsonObject { ["type"] = new JsonArray("array", "null"), ["items"] = new JsonObject { ["type"] = "string" } },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject EntitySchemaJson(EntitySchema schema)
    {
        var properties = new JsonObject();
        foreach (var field in schema.Fields)
        {
            properties[field.Name] = FieldJson(field);
        }
        var required = schema.Fields.Where(f => f.Required && !f.Auto).Select(f => (JsonNode)f.Name).ToArray();
        return new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = new JsonArray(required) };
    }

    private static JsonObject FieldJson(Field field)
    {
        var json = field.Type switch
        {
            FieldType.String => new JsonObject { ["type"] = "string" },
            FieldType.Integer => new JsonObject { ["type"] = "integer" },
            FieldType.Number => new JsonObject { ["type"] = "number" },
            FieldType.Boolean => new JsonObject { ["type"] = "boolean" },
            FieldType.Array or FieldType.Set => new JsonObject
            {
                ["type"] = "array",
                ["items"] = field.Elements is null ? new JsonObject() : FieldJson(field.Elements),
                ["uniqueItems"] = field.Type == FieldType.Set,
            },
            FieldType.Map => new JsonObject { ["type"] = "object", ["additionalProperties"] = field.Elements is null ? true : FieldJson(field.Elements) },
            FieldType.Record when field.Fields is { } fields => new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject(fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)FieldJson(f)))),
            },
            FieldType.Record => new JsonObject { ["type"] = "object" },
            _ => new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" } },
                ["description"] = $"A reference to a {field.Reference} entity.",
            },
        };
        // Kong answers null for every optional field that is not set.
        var nullable = !field.Required && !field.Auto && (field.Type != FieldType.Record || field.Optional);
        if (nullable && json["type"] is JsonValue type)
        {
            json["type"] = new JsonArray(type.GetValue<string>(), "null");
        }
        if (field.Default is not null)
        {
            json["default"] = field.Default.DeepClone();
        }
        if (field.Unique)
        {
            json["description"] = "Unique within the control plane.";
        }
        if (field.Auto)
        {
            json["readOnly"] = field.Name != "id";
        }
        return json;
    }
}
