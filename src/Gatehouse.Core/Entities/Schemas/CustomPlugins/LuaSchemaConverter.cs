using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// Turns a parsed plugin schema (<see cref="LuaSchemaParser"/>) into the engine's
/// <see cref="PluginSchema"/>, reading Kong's schema language (kong/db/schema/init.lua and
/// metaschema.lua at 3.9.3) for the attributes the engine implements. Anything else is refused
/// with its line rather than dropped, so a schema is never enforced more loosely than written.
/// </summary>
public static partial class LuaSchemaConverter
{
    /// <summary>Parses and converts; a <see cref="LuaSchemaException"/> for anything outside the subset.</summary>
    public static PluginSchema Convert(string luaSchema) => Convert(LuaSchemaParser.Parse(luaSchema));

    // Annotations Kong keeps for documentation or storage: they change no validation.
    private static readonly HashSet<string> s_annotations = ["description", "encrypted", "deprecation", "examples"];

    public static PluginSchema Convert(LuaValue returned)
    {
        var root = returned as LuaTable ?? throw new LuaSchemaException(returned.Line, "the schema must return a table");
        ExpectNamedOnly(root, "the schema");
        foreach (var (key, value) in root.Fields)
        {
            if (key is not ("name" or "fields" or "entity_checks"))
            {
                throw new LuaSchemaException(value.Line, $"the schema's key '{key}' is not supported (name, fields and entity_checks are)");
            }
        }
        var name = root["name"] is LuaString { Value: var text } ? text : throw new LuaSchemaException(root.Line, "the schema must have a string 'name'");
        if (!PluginName().IsMatch(name))
        {
            throw new LuaSchemaException(root["name"]!.Line, $"invalid plugin name '{name}': expected lower-case letters, digits, '-' and '_'");
        }
        var fields = root["fields"] as LuaTable ?? throw new LuaSchemaException(root.Line, "the schema must have a 'fields' table");
        var schema = new PluginSchema(name, null!);
        Field? config = null;
        foreach (var (fieldName, definition, line) in FieldEntries(fields, "fields"))
        {
            switch (fieldName)
            {
                case "consumer" or "route" or "service":
                    schema = NoReference(schema, fieldName, definition);
                    break;
                case "protocols":
                    schema = schema with { Protocols = Field("protocols", definition, "protocols") with { Name = "protocols" } };
                    if (schema.Protocols.Type != FieldType.Set || schema.Protocols.Elements?.Type != FieldType.String)
                    {
                        throw new LuaSchemaException(line, "protocols must be a set of strings");
                    }
                    break;
                case "config":
                    config = Field("config", definition, "config");
                    if (config.Type != FieldType.Record)
                    {
                        throw new LuaSchemaException(line, "config must be a record");
                    }
                    break;
                default:
                    throw new LuaSchemaException(line, $"the plugin field '{fieldName}' is not supported: a plugin schema has consumer, route, service, protocols and config");
            }
        }
        if (config is null)
        {
            throw new LuaSchemaException(fields.Line, "the schema must have a 'config' record in its fields");
        }
        schema = schema with { Config = config };
        if (root["entity_checks"] is { } checks)
        {
            IReadOnlyList<Field> top = [schema.Protocols, config];
            schema = schema with { Checks = ConvertChecks(checks, top) };
        }
        return schema;
    }

    /// <summary><c>consumer = typedefs.no_consumer</c> and its kin: the plugin may not be scoped to one.</summary>
    private static PluginSchema NoReference(PluginSchema schema, string field, LuaValue definition)
    {
        var expected = $"no_{field}";
        if (definition is not LuaTypedef { Overrides: null } typedef || typedef.Name != expected)
        {
            throw new LuaSchemaException(definition.Line, $"the plugin field '{field}' may only be typedefs.{expected}");
        }
        return field switch
        {
            "consumer" => schema with { NoConsumer = true },
            "route" => schema with { NoRoute = true },
            _ => schema with { NoService = true },
        };
    }

    /// <summary>A <c>fields</c> array: <c>{ { name = definition }, ... }</c>, each entry one named field.</summary>
    private static IEnumerable<(string Name, LuaValue Definition, int Line)> FieldEntries(LuaTable fields, string path)
    {
        if (fields.Fields.Count > 0)
        {
            throw new LuaSchemaException(fields.Fields[0].Value.Line, $"{path} must be an array of {{ name = definition }} entries");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in fields.Items)
        {
            if (entry is not LuaTable { Items.Count: 0, Fields: [var (name, definition)] })
            {
                throw new LuaSchemaException(entry.Line, $"each entry of {path} must be a table with exactly one named field");
            }
            if (!seen.Add(name))
            {
                throw new LuaSchemaException(entry.Line, $"the field '{name}' is declared twice in {path}");
            }
            yield return (name, definition, entry.Line);
        }
    }

    private static Field Field(string name, LuaValue definition, string path)
    {
        switch (definition)
        {
            case LuaTypedef typedef:
                var field = LuaTypedefs.Field(typedef.Name, name, typedef.Line);
                return typedef.Overrides is { } overrides ? Attributes(field, overrides, path, typed: true) : field;
            case LuaTable table:
                ExpectNamedOnly(table, path);
                var type = table["type"] is LuaString { Value: var text } ? TypeOf(text, table["type"]!.Line)
                    : throw new LuaSchemaException(table.Line, $"{path}: a field needs a string 'type'");
                return Attributes(new Field(name, type), table, path, typed: false);
            default:
                throw new LuaSchemaException(definition.Line, $"{path}: a field is a table of attributes or a typedefs.<name>");
        }
    }

    private static FieldType TypeOf(string type, int line) => type switch
    {
        "string" => FieldType.String,
        "number" => FieldType.Number,
        "integer" => FieldType.Integer,
        "boolean" => FieldType.Boolean,
        "array" => FieldType.Array,
        "set" => FieldType.Set,
        "map" => FieldType.Map,
        "record" => FieldType.Record,
        "foreign" => FieldType.Foreign,
        _ => throw new LuaSchemaException(line, $"unknown field type '{type}'"),
    };

    /// <summary>Lays the attributes of <paramref name="table"/> over <paramref name="field"/>, in Kong's validator order.</summary>
    private static Field Attributes(Field field, LuaTable table, string path, bool typed)
    {
        ExpectNamedOnly(table, path);
        LuaValue? defaultValue = null;
        LuaValue? recordChecks = null;
        foreach (var (key, value) in table.Fields)
        {
            var line = value.Line;
            switch (key)
            {
                case "type" when !typed:
                    break;
                case "type":
                    throw new LuaSchemaException(line, $"{path}: a typedef's type cannot be changed");
                case "required":
                    var required = Boolean(value, path, key);
                    field = field.Type == FieldType.Record ? field with { Optional = !required, Required = required } : field with { Required = required };
                    break;
                case "default":
                    defaultValue = value;
                    break;
                case "one_of":
                    field = field.With(OneOf(value, path));
                    break;
                case "not_one_of":
                    field = field.With(Validators.NotOneOf([.. Strings(value, path, key)]));
                    break;
                case "between" when value is LuaTable { Items: [LuaNumber low, LuaNumber high], Fields.Count: 0 }:
                    field = field.With(Validators.Between(low.Value, high.Value));
                    break;
                case "between":
                    throw new LuaSchemaException(line, $"{path}: between takes two numbers");
                case "gt":
                    field = field.With(Validators.GreaterThan(Number(value, path, key)));
                    break;
                case "len_min":
                    var minimum = Count(value, path, key);
                    field = minimum == 0 ? field with { EmptyAllowed = true } : field.With(Validators.LengthMin(minimum));
                    break;
                case "len_max":
                    field = field.With(Validators.LengthMax(Count(value, path, key)));
                    break;
                case "match":
                    var pattern = Text(value, path, key);
                    field = field.With(Validators.LuaMatch(pattern, line: line));
                    break;
                case "match_none":
                    field = field.With([.. MatchNone(value, path)]);
                    break;
                case "starts_with":
                    field = field.With(Validators.StartsWith(Text(value, path, key)));
                    break;
                case "uuid" when Boolean(value, path, key):
                    field = field.With(Validators.Uuid);
                    break;
                case "is_regex" when Boolean(value, path, key):
                    field = field.With(Validators.IsRegex);
                    break;
                case "uuid" or "is_regex":
                    break;
                case "referenceable":
                    field = field with { Referenceable = Boolean(value, path, key) };
                    break;
                case "reference" when field.Type == FieldType.Foreign:
                    field = field with { Reference = Text(value, path, key) };
                    break;
                case "elements":
                    field = field with { Elements = Field("item", value, $"{path}.elements") };
                    break;
                case "keys":
                    field = field with { Keys = Field("key", value, $"{path}.keys") };
                    break;
                case "values":
                    field = field with { Elements = Field("value", value, $"{path}.values") };
                    break;
                case "fields":
                    field = field with
                    {
                        Fields = [.. FieldEntries(value as LuaTable ?? throw new LuaSchemaException(line, $"{path}.fields must be a table"), $"{path}.fields")
                        .Select(entry => Field(entry.Name, entry.Definition, $"{path}.{entry.Name}"))]
                    };
                    break;
                case "entity_checks":
                    recordChecks = value;
                    break;
                case "shorthand_fields" or "custom_validator" or "func":
                    throw new LuaSchemaException(line, $"{path}: '{key}' needs code, which custom schemas cannot hold");
                case var annotation when s_annotations.Contains(annotation):
                    break;
                default:
                    throw new LuaSchemaException(line, $"{path}: the attribute '{key}' is not supported");
            }
        }
        CheckShape(field, table, path);
        if (recordChecks is not null)
        {
            if (field.Type != FieldType.Record)
            {
                throw new LuaSchemaException(recordChecks.Line, $"{path}: only records have entity_checks");
            }
            field = field with { RecordChecks = ConvertChecks(recordChecks, field.Fields!) };
        }
        if (defaultValue is not null)
        {
            field = field with { Default = Json(defaultValue, field.Type, path) };
        }
        return field;
    }

    /// <summary>What Kong's metaschema demands of containers: arrays and sets say their elements, maps their keys and values, records their fields.</summary>
    private static void CheckShape(Field field, LuaTable table, string path)
    {
        var missing = field.Type switch
        {
            FieldType.Array or FieldType.Set when field.Elements is null => "elements",
            FieldType.Map when field.Keys is null => "keys",
            FieldType.Map when field.Elements is null => "values",
            FieldType.Record when field.Fields is null => "fields",
            FieldType.Foreign when field.Reference is null => "reference",
            _ => null,
        };
        if (missing is not null)
        {
            throw new LuaSchemaException(table.Line, $"{path}: a {field.Type.ToString().ToLowerInvariant()} field needs '{missing}'");
        }
    }

    private static Validator OneOf(LuaValue value, string path)
    {
        if (value is LuaTable { Fields.Count: 0, Items: var items } && items.Count > 0 && items.All(i => i is LuaString))
        {
            return Validators.OneOf([.. items.Cast<LuaString>().Select(s => s.Value)]);
        }
        if (value is LuaTable { Fields.Count: 0, Items: var numbers } && numbers.Count > 0 && numbers.All(i => i is LuaNumber))
        {
            var choices = numbers.Cast<LuaNumber>().Select(n => n.Value).ToArray();
            var words = string.Join(", ", choices.Select(c => c.ToString("R", CultureInfo.InvariantCulture)));
            Validator oneOf = node => node.GetValueKind() == JsonValueKind.Number && choices.Contains(Validators.AsDouble(node)) ? null : $"expected one of: {words}";
            return oneOf.Named("one_of", new JsonArray([.. choices.Select(SchemaRules.Number)]));
        }
        throw new LuaSchemaException(value.Line, $"{path}: one_of takes a non-empty list of strings or of numbers");
    }

    private static IEnumerable<Validator> MatchNone(LuaValue value, string path)
    {
        if (value is not LuaTable { Fields.Count: 0 } list)
        {
            throw new LuaSchemaException(value.Line, $"{path}: match_none takes a list of {{ pattern = ..., err = ... }}");
        }
        foreach (var item in list.Items)
        {
            if (item is not LuaTable { Items.Count: 0 } entry || entry["pattern"] is not LuaString pattern || entry["err"] is not LuaString err
                || entry.Fields.Count != 2)
            {
                throw new LuaSchemaException(item.Line, $"{path}: each match_none entry is {{ pattern = \"...\", err = \"...\" }}");
            }
            yield return Validators.LuaMatchNone(pattern.Value, err.Value, pattern.Line);
        }
    }

    /// <summary>A Lua value as the JSON a default is stored as; an empty table is what the field's type makes it.</summary>
    private static JsonNode? Json(LuaValue value, FieldType type, string path) => value switch
    {
        LuaString s => JsonValue.Create(s.Value),
        LuaNumber n => SchemaRules.Number(n.Value),
        LuaBoolean b => JsonValue.Create(b.Value),
        LuaNil => null,
        LuaTable { Items.Count: 0, Fields.Count: 0 } => type is FieldType.Record or FieldType.Map ? new JsonObject() : new JsonArray(),
        LuaTable { Fields.Count: 0 } table => new JsonArray([.. table.Items.Select(i => Json(i, FieldType.Array, path))]),
        LuaTable { Items.Count: 0 } table => new JsonObject(table.Fields.Select(f => KeyValuePair.Create(f.Key, Json(f.Value, FieldType.Record, path)))),
        LuaTable table => throw new LuaSchemaException(table.Line, $"{path}: a default table is either a list or a record, not both"),
        _ => throw new LuaSchemaException(value.Line, $"{path}: a default must be a literal value"),
    };

    private static void ExpectNamedOnly(LuaTable table, string path)
    {
        if (table.Items.Count > 0)
        {
            throw new LuaSchemaException(table.Items[0].Line, $"{path}: unexpected positional value in a table of named attributes");
        }
    }

    internal static bool Boolean(LuaValue value, string path, string key) =>
        value is LuaBoolean b ? b.Value : throw new LuaSchemaException(value.Line, $"{path}: {key} must be true or false");

    internal static string Text(LuaValue value, string path, string key) =>
        value is LuaString s ? s.Value : throw new LuaSchemaException(value.Line, $"{path}: {key} must be a string");

    private static double Number(LuaValue value, string path, string key) =>
        value is LuaNumber n ? n.Value : throw new LuaSchemaException(value.Line, $"{path}: {key} must be a number");

    private static int Count(LuaValue value, string path, string key) =>
        value is LuaNumber { Value: var n } && n >= 0 && n <= int.MaxValue && n == Math.Floor(n)
            ? (int)n
            : throw new LuaSchemaException(value.Line, $"{path}: {key} must be a whole number from 0");

    internal static IReadOnlyList<string> Strings(LuaValue value, string path, string key) =>
        value is LuaTable { Fields.Count: 0, Items: var items } && items.Count > 0 && items.All(i => i is LuaString)
            ? [.. items.Cast<LuaString>().Select(s => s.Value)]
            : throw new LuaSchemaException(value.Line, $"{path}: {key} takes a non-empty list of strings");

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]*\z")]
    private static partial Regex PluginName();
}
