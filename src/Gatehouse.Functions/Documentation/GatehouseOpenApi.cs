using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Functions.Documentation;

/// <summary>
/// The OpenAPI 3.1 description of the API this app serves, built from the same entity schemas
/// that validate requests, so it cannot drift from what the code accepts.
/// </summary>
internal static partial class GatehouseOpenApi
{
    private const string CoreEntities = "/v2/control-planes/{controlPlaneId}/core-entities";

    public static JsonObject Build()
    {
        var paths = new JsonObject
        {
            ["/healthz"] = new JsonObject
            {
                ["get"] = Operation("Health", "Storage reachability: 200 when Table, Blob and Queue storage answer, 503 otherwise.",
                    Responses(("200", "Healthy", null), ("503", "Storage unreachable; the body names each service and why", null)), secured: false),
            },
        };
        AddControlPlanes(paths);
        AddConfiguration(paths);
        var schemas = new JsonObject();
        AddDpCertificates(paths, schemas);
        AddDataPlanes(paths, schemas);
        foreach (var schema in KongSchemas.All.Where(s => !s.Internal))
        {
            schemas[Component(schema)] = EntitySchemaJson(schema);
            AddEntityPaths(paths, schema);
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

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Gatehouse",
                ["version"] = "v1",
                ["description"] = "A self-hosted control plane for Kong Gateway data planes, compatible with Kong Konnect's Control Planes v2 and Control Planes Configuration v2 APIs.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["adminToken"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" },
                    ["dataPlaneCertificate"] = new JsonObject
                    {
                        ["type"] = "mutualTLS",
                        ["description"] = "A client certificate pinned with dp-client-certificates (by SHA-256); on Azure forwarded as X-ARR-ClientCert when trusted.",
                    },
                },
            },
        };
    }

    private static void AddControlPlanes(JsonObject paths)
    {
        paths["/v2/control-planes"] = new JsonObject
        {
            ["get"] = Operation("Control Planes", "List control planes: page[size], page[number], filter[id|name|cluster_type][op], filter[cloud_gateway], labels, sort.",
                Responses(("200", "A page of control planes with meta.page", null), ("400", "Invalid query parameters", null))),
            ["post"] = Operation("Control Planes", "Create a control plane (name required, unique).",
                Responses(("201", "Created", null), ("400", "Invalid request", null), ("409", "Name taken", null))),
        };
        paths["/v2/control-planes/{controlPlaneId}"] = new JsonObject
        {
            ["get"] = Operation("Control Planes", "Get a control plane.", Responses(("200", "The control plane", null), ("404", "Not found", null))),
            ["patch"] = Operation("Control Planes", "Change name, description, auth_type, proxy_urls or labels.",
                Responses(("200", "Updated", null), ("400", "Invalid request", null), ("404", "Not found", null), ("409", "Name taken, or the default control plane renamed", null))),
            ["delete"] = Operation("Control Planes", "Delete a control plane and every entity in it. The default control plane cannot be deleted.",
                Responses(("204", "Deleted", null), ("404", "Not found", null), ("409", "The default control plane", null))),
            ["parameters"] = new JsonArray(PathParameter("controlPlaneId", "uuid")),
        };
    }

    /// <summary>Snapshots, import, and control plane groups.</summary>
    private static void AddConfiguration(JsonObject paths)
    {
        const string ControlPlane = "/v2/control-planes/{controlPlaneId}";
        JsonArray Parameters() => new(PathParameter("controlPlaneId", "uuid"));
        var dryRun = new JsonObject
        {
            ["name"] = "dry_run",
            ["in"] = "query",
            ["required"] = false,
            ["description"] = "true: answer the diff and write nothing.",
            ["schema"] = new JsonObject { ["type"] = "boolean", ["default"] = false },
        };
        var import = Operation("Declarative Config",
            "Make the control plane's entities exactly this kong.yaml (application/yaml or application/json; decK sync: create, update, delete). " +
            "Nested or flat, references by name or id; _info.select_tags limits what the file manages. All or nothing: data planes see the old configuration or the new one.",
            Responses(
                ("200", "Applied (or, with dry_run, what would be)", new JsonObject { ["$ref"] = "#/components/schemas/ImportResult" }),
                ("400", "The file is invalid: every entity's errors, with where it is in the file", new JsonObject { ["$ref"] = "#/components/schemas/DeclarativeConfigError" }),
                ("404", "No such control plane", null),
                ("409", "Another import is being applied", Error()),
                ("413", "Larger than 25 MiB", null),
                ("415", "Neither JSON nor YAML", null)),
            body: new JsonObject { ["type"] = "object", ["description"] = "Kong declarative config, _format_version \"3.0\"" });
        import["parameters"] = new JsonArray(dryRun);
        paths[$"{ControlPlane}/declarative-config"] = new JsonObject
        {
            ["get"] = Operation("Declarative Config", "The current snapshot as Kong declarative config (YAML with Accept: application/yaml). ETag is the config hash; If-None-Match answers 304.",
                Responses(("200", "The snapshot", null), ("304", "Unchanged", null), ("404", "No such control plane", null))),
            ["put"] = import,
            ["parameters"] = Parameters(),
        };
        paths[$"{ControlPlane}/expected-config-hash"] = new JsonObject
        {
            ["get"] = Operation("Declarative Config", "The config hash an in-sync data plane runs.", Responses(("200", "expected_hash, created_at, updated_at", null), ("404", "No such control plane", null))),
            ["parameters"] = Parameters(),
        };
        paths[$"{ControlPlane}/group-memberships"] = new JsonObject
        {
            ["get"] = Operation("Control Plane Groups", "A group's members (page[size], page[after]).", Responses(("200", "data and meta.page.next", null), ("400", "Not a group", null))),
            ["put"] = Operation("Control Plane Groups", "Replace a group's members (at most 256).", Responses(("204", "Replaced", null), ("400", "Invalid members", null))),
            ["parameters"] = Parameters(),
        };
        foreach (var change in new[] { "add", "remove" })
        {
            paths[$"{ControlPlane}/group-memberships/{change}"] = new JsonObject
            {
                ["post"] = Operation("Control Plane Groups", $"{char.ToUpperInvariant(change[0])}{change[1..]} up to 50 members.",
                    Responses(("204", "Done", null), ("400", "Invalid members", null))),
                ["parameters"] = Parameters(),
            };
        }
        paths[$"{ControlPlane}/group-member-status"] = new JsonObject
        {
            ["get"] = Operation("Control Plane Groups", "Whether this control plane is a member of a group.", Responses(("200", "is_member", null))),
            ["parameters"] = Parameters(),
        };
        paths[$"{ControlPlane}/group-status"] = new JsonObject
        {
            ["get"] = Operation("Control Plane Groups", "OK, CONFLICT (with every conflict) or UNKNOWN.", Responses(("200", "The group's status", null), ("400", "Not a group", null))),
            ["parameters"] = Parameters(),
        };
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

    private static void AddEntityPaths(JsonObject paths, EntitySchema schema)
    {
        var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{Component(schema)}" };
        var tag = schema.Name;
        void Add(string collectionPath, bool nested, params JsonNode[] parameters)
        {
            var collection = new JsonObject
            {
                ["get"] = Operation(tag, $"List {schema.Name}: size (1-1000), offset, tags (a,b = all; a/b = any), filter[name][eq|contains].",
                    Responses(("200", "A page: data, and next and offset while there is more", null))),
                ["parameters"] = new JsonArray([.. parameters.Select(p => p.DeepClone())]),
            };
            if (schema.NestedOnlyUnder is null || nested)
            {
                collection["post"] = Operation(tag, $"Create a {schema.Singular}.",
                    Responses(("201", "Created", reference), ("400", "Invalid", Error()), ("404", "The parent in the path does not exist", Error()), ("409", "A unique value is taken", Error())),
                    body: reference);
            }
            paths[collectionPath] = collection;
            var keyName = schema.EndpointKey is null ? "id" : $"id or {schema.EndpointKey}";
            paths[$"{collectionPath}/{{{schema.Singular}Key}}"] = new JsonObject
            {
                ["get"] = Operation(tag, $"Get a {schema.Singular} by {keyName}.", Responses(("200", "The entity", reference), ("404", "Not found", Error()))),
                ["put"] = Operation(tag, $"Create or replace a {schema.Singular} at this {keyName}.",
                    Responses(("200", "Created or replaced", reference), ("400", "Invalid", Error()), ("409", "A unique value is taken", Error())), body: reference),
                ["patch"] = Operation(tag, $"Change fields of a {schema.Singular}; the merged result is validated.",
                    Responses(("200", "Updated", reference), ("400", "Invalid", Error()), ("404", "Not found", Error())), body: reference),
                ["delete"] = Operation(tag, $"Delete a {schema.Singular}, and what Kong cascades to.",
                    Responses(("204", "Deleted, or there was none", null), ("400", "Other entities still reference it", Error()))),
                ["parameters"] = new JsonArray([.. parameters.Select(p => p.DeepClone()), PathParameter($"{schema.Singular}Key", null)]),
            };
        }

        Add($"{CoreEntities}/{schema.Name}", nested: false, PathParameter("controlPlaneId", "uuid"));
        foreach (var field in schema.ForeignKeys)
        {
            var parent = KongSchemas.Find(field.Reference!)!;
            Add($"{CoreEntities}/{parent.Name}/{{{parent.Singular}Key}}/{schema.Name}", nested: true,
                PathParameter("controlPlaneId", "uuid"), PathParameter($"{parent.Singular}Key", null));
        }
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

    private static JsonObject Operation(string tag, string summary, JsonObject responses, JsonObject? body = null, bool secured = true)
    {
        var operation = new JsonObject { ["tags"] = new JsonArray(tag), ["summary"] = summary, ["responses"] = responses };
        if (body is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = body.DeepClone() } },
            };
        }
        operation["security"] = secured ? new JsonArray(new JsonObject { ["adminToken"] = new JsonArray() }) : new JsonArray();
        return operation;
    }

    private static JsonObject Responses(params (string Status, string Description, JsonObject? Schema)[] responses)
    {
        var json = new JsonObject();
        foreach (var (status, description, schema) in responses)
        {
            var response = new JsonObject { ["description"] = description };
            if (schema is not null)
            {
                response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema.DeepClone() } };
            }
            json[status] = response;
        }
        return json;
    }

    private static JsonObject Error() => new() { ["$ref"] = "#/components/schemas/KongError" };

    private static JsonObject PathParameter(string name, string? format)
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (format is not null)
        {
            schema["format"] = format;
        }
        return new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = schema };
    }

    private static string Component(EntitySchema schema) =>
        string.Concat(schema.Singular.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
