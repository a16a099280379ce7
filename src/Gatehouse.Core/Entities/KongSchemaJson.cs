using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Schemas written the way Kong's Admin API answers <c>GET /schemas/plugins/{name}</c>
/// (kong/api/routes/kong.lua:229-240 at 3.9.3): <c>schema_to_jsonable</c>
/// (kong/api/api_helpers.lua:155-231) turns <c>fields</c> and <c>entity_checks</c> into arrays of
/// one-key objects in schema order and keeps every attribute but functions. Here the attributes
/// come from the <see cref="Field"/> model and the rules' Kong names (<see cref="SchemaRules"/>);
/// what the model keeps as code is left out, as Kong leaves out its custom validators.
/// </summary>
public static class KongSchemaJson
{
    /// <summary>
    /// A plugin's subschema: the foreign keys it refuses (typedefs.no_consumer, no_service,
    /// no_route: typedefs.lua:383-405), its protocols and its config, then its entity checks.
    /// Kong keeps the order of the plugin's schema.lua; most write consumer, service, route,
    /// protocols, config, and that is the order here.
    /// </summary>
    public static JsonObject Plugin(PluginSchema plugin)
    {
        var fields = new JsonArray();
        if (plugin.NoConsumer)
        {
            fields.Add(NoReference("consumer", "consumers"));
        }
        if (plugin.NoService)
        {
            fields.Add(NoReference("service", "services"));
        }
        if (plugin.NoRoute)
        {
            fields.Add(NoReference("route", "routes"));
        }
        fields.Add(Entry(plugin.Protocols));
        fields.Add(Entry(plugin.Config));
        return new JsonObject { ["fields"] = fields, ["entity_checks"] = Checks(plugin.Checks) };
    }

    /// <summary>One field's attributes under Kong's names: <c>{"type":"number","gt":0}</c>.</summary>
    public static JsonObject Attributes(Field field)
    {
        var json = new JsonObject { ["type"] = TypeName(field.Type) };
        if (field.Required || (field.Type == FieldType.Record && !field.Optional))
        {
            // Records count as required unless they say otherwise (kong/db/schema/entity.lua:13-24).
            json["required"] = true;
        }
        else if (field.Type == FieldType.Record)
        {
            json["required"] = false;
        }
        if (field.Default is { } value)
        {
            json["default"] = value.DeepClone();
        }
        if (field.MustBeNull)
        {
            json["eq"] = null;
        }
        if (field.EmptyAllowed)
        {
            json["len_min"] = 0;
        }
        foreach (var validator in field.Validators)
        {
            if (SchemaRules.Of(validator) is not { } rule)
            {
                continue;
            }
            if (rule.Key == Validators.MatchNoneKey && json[rule.Key] is JsonArray entries)
            {
                entries.Add(rule.Value![0]!.DeepClone());
            }
            else
            {
                json[rule.Key] = rule.Value?.DeepClone();
            }
        }
        if (field.Unique)
        {
            json["unique"] = true;
        }
        if (field.Auto)
        {
            json["auto"] = true;
        }
        if (field.Referenceable)
        {
            json["referenceable"] = true;
        }
        if (field.Reference is { } reference)
        {
            json["reference"] = reference;
            if (field.OnDelete == OnDelete.Cascade)
            {
                json["on_delete"] = "cascade";
            }
        }
        AddContents(json, field);
        return json;
    }

    /// <summary>Entity checks as Kong writes them, <c>[{"at_least_one_of":[…]}, {"conditional":{…}}]</c>; custom checks without a Kong name are left out.</summary>
    public static JsonArray Checks(IEnumerable<EntityCheck> checks) =>
        new([.. checks.Select(SchemaRules.Of).OfType<SchemaRule>().Select(rule => (JsonNode)new JsonObject { [rule.Key] = rule.Value?.DeepClone() })]);

    private static void AddContents(JsonObject json, Field field)
    {
        switch (field.Type)
        {
            case FieldType.Array or FieldType.Set:
                json["elements"] = Attributes(field.Elements ?? new Field("item", FieldType.String));
                break;
            case FieldType.Map:
                json["keys"] = Attributes(field.Keys ?? new Field("key", FieldType.String));
                json["values"] = Attributes(field.Elements ?? new Field("value", FieldType.String));
                break;
            case FieldType.Record when field.Fields is { } fields:
                json["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)Entry(f))]);
                if (field.RecordChecks is { } checks && Checks(checks) is { Count: > 0 } named)
                {
                    json["entity_checks"] = named;
                }
                if (field.Shorthands is { Count: > 0 } shorthands)
                {
                    json["shorthand_fields"] = new JsonArray([.. shorthands.Select(Shorthand)]);
                }
                break;
        }
    }

    /// <summary>
    /// A shorthand field (si:1798-1860): its own attributes and, for a deprecated one, the path
    /// of the field that replaces it, as Kong's <c>deprecation.replaced_with</c> gives it.
    /// </summary>
    private static JsonNode Shorthand(ShorthandField shorthand)
    {
        var json = Attributes(shorthand.Field);
        if (shorthand.ReplacedWith is { } replaced)
        {
            json["deprecation"] = new JsonObject
            {
                ["replaced_with"] = new JsonArray(new JsonObject { ["path"] = SchemaRules.Strings(replaced.Split('.')) }),
            };
        }
        return new JsonObject { [shorthand.Field.Name] = json };
    }

    private static JsonObject Entry(Field field) => new() { [field.Name] = Attributes(field) };

    private static JsonObject NoReference(string name, string reference) =>
        new() { [name] = new JsonObject { ["type"] = "foreign", ["reference"] = reference, ["eq"] = null } };

    private static string TypeName(FieldType type) => type switch
    {
        FieldType.String => "string",
        FieldType.Integer => "integer",
        FieldType.Number => "number",
        FieldType.Boolean => "boolean",
        FieldType.Array => "array",
        FieldType.Set => "set",
        FieldType.Map => "map",
        FieldType.Record => "record",
        FieldType.Foreign => "foreign",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "a field type Kong's schema language has no name for"),
    };
}
