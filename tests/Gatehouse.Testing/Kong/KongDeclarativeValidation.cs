using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// What a DB-less Kong checks before it loads a declarative config, approximated: its own
/// <c>_format_version</c> rule (required, one of 1.1, 2.1, 3.0), decK's JSON schema for everything
/// else (Kong's Lua schemas cannot run here), and that every configured plugin is one the node has.
/// Errors come back in Kong's <c>err_t</c> shape with Kong's wording where the two schemas agree.
/// </summary>
internal static class KongDeclarativeValidation
{
    private static readonly string[] s_formatVersions = ["1.1", "2.1", "3.0"];

    public static KongErrorTree Validate(JsonObject document, KongNodeOptions node)
    {
        var errors = new KongErrorTree();
        CheckFormatVersion(document, errors);
        CheckSchema(document, errors);
        CheckPlugins(document, node, errors);
        return errors;
    }

    private static void CheckFormatVersion(JsonObject document, KongErrorTree errors)
    {
        if (document["_format_version"] is not JsonValue value)
        {
            errors.Add(["_format_version"], "required field missing");
        }
        else if (!value.TryGetValue<string>(out var version))
        {
            errors.Add(["_format_version"], "expected a string");
        }
        else if (!s_formatVersions.Contains(version))
        {
            errors.Add(["_format_version"], "expected one of: " + string.Join(", ", s_formatVersions));
        }
    }

    private static void CheckSchema(JsonObject document, KongErrorTree errors)
    {
        var schema = ReferenceSpecs.KongDeclarativeConfig;
        var instance = JsonSerializer.SerializeToElement(document);
        foreach (var error in schema.Validate(instance))
        {
            var path = ParsePath(error.Path);
            if (path.Count == 1 && Equals(path[0], "_format_version"))
            {
                continue;
            }
            var kongPath = path.Select(segment => segment is int index ? (object)(index + 1) : segment).ToList();
            // An error about a whole entity (anyOf name/id …) is Kong's `@entity`; one about a value is the field's.
            if (At(document, path) is JsonObject && !error.SchemaPath.EndsWith("/type", StringComparison.Ordinal))
            {
                kongPath.Add(KongErrorTree.EntityKey);
            }
            errors.Add(kongPath, KongWording(schema, error));
        }
    }

    private static void CheckPlugins(JsonObject document, KongNodeOptions node, KongErrorTree errors)
    {
        foreach (var (path, name) in Plugins(document))
        {
            if (!node.Plugins.ContainsKey(name))
            {
                errors.Add([.. path, "name"], $"plugin '{name}' not enabled; add it to the 'plugins' configuration property");
            }
        }
    }

    /// <summary>Every plugin configured anywhere in the document (top level or nested), with its err_t path.</summary>
    public static IEnumerable<(List<object> Path, string Name)> Plugins(JsonObject document)
    {
        var pending = new Stack<(JsonObject Entity, List<object> Path)>([(document, [])]);
        while (pending.TryPop(out var current))
        {
            foreach (var (field, child) in current.Entity)
            {
                if (child is not JsonArray items || field.StartsWith('_'))
                {
                    continue;
                }
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is not JsonObject item)
                    {
                        continue;
                    }
                    List<object> itemPath = [.. current.Path, field, i + 1];
                    if (field == "plugins" && item["name"] is JsonValue name && name.TryGetValue<string>(out var pluginName))
                    {
                        yield return (itemPath, pluginName);
                    }
                    pending.Push((item, itemPath));
                }
            }
        }
    }

    private static string KongWording(JsonSchemaValidator schema, SchemaError error)
    {
        var keyword = error.SchemaPath[(error.SchemaPath.LastIndexOf('/') + 1)..];
        switch (keyword)
        {
            case "required":
                return "required field missing";
            case "additionalProperties":
                return "unknown field";
            case "type":
                var type = schema.Resolve(error.SchemaPath);
                var first = type.ValueKind == JsonValueKind.Array ? type[0].GetString() : type.GetString();
                return first switch
                {
                    "string" => "expected a string",
                    "integer" => "expected an integer",
                    "number" => "expected a number",
                    "boolean" => "expected a boolean",
                    "array" => "expected an array",
                    "object" => "expected a record",
                    _ => error.Reason,
                };
            case "enum":
                return "expected one of: " + string.Join(", ", schema.Resolve(error.SchemaPath).EnumerateArray().Select(value => value.ToString()));
            case "anyOf":
                var branches = schema.Resolve(error.SchemaPath).EnumerateArray().ToList();
                return branches.All(branch => branch.TryGetProperty("required", out var required) && required.GetArrayLength() == 1 && branch.EnumerateObject().Count() == 1)
                    ? "at least one of these fields must be non-empty: " + string.Join(", ", branches.Select(branch => $"'{branch.GetProperty("required")[0].GetString()}'"))
                    : error.Reason;
            default:
                return error.Reason;
        }
    }

    private static JsonNode? At(JsonNode? node, IReadOnlyList<object> path)
    {
        foreach (var segment in path)
        {
            node = (node, segment) switch
            {
                (JsonObject json, string name) => json[name],
                (JsonArray array, int index) when index < array.Count => array[index],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>The validator's <c>$.services[0]['odd key']</c> as property names and 0-based indexes.</summary>
    internal static List<object> ParsePath(string path)
    {
        var segments = new List<object>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[')
                {
                    end++;
                }
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var name = new System.Text.StringBuilder();
                i += 2;
                while (i < path.Length && path[i] != '\'')
                {
                    if (path[i] == '\\')
                    {
                        i++;
                    }
                    name.Append(path[i]);
                    i++;
                }
                segments.Add(name.ToString());
                i += 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                segments.Add(int.Parse(path.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture));
                i = end + 1;
            }
        }
        return segments;
    }
}
