using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's shorthand fields of records (kong/db/schema/init.lua process_auto_fields, si:1798-1860):
/// input-only names, validated by their own type, then rewritten into the real fields before
/// defaults and validation. Nested records are expanded after their parent.
/// </summary>
internal static class Shorthands
{
    public static void Expand(Field field, JsonObject record, string path, List<FieldError> errors)
    {
        foreach (var shorthand in field.Shorthands ?? [])
        {
            var name = shorthand.Field.Name;
            if (!record.TryGetPropertyValue(name, out var value))
            {
                continue;
            }
            record.Remove(name);
            if (value is null)
            {
                if (shorthand.ExpandNull is { } expandNull)
                {
                    Merge(record, expandNull(), deprecated: shorthand.ReplacedWith is not null);
                }
                continue;
            }
            var before = errors.Count;
            EntityProcessor.Validate(shorthand.Field, value, $"{path}.{name}", errors);
            if (errors.Count > before)
            {
                continue;
            }
            if (shorthand.ReplacedWith is { } replaced && EntityChecks.Get(record, replaced) is { } current
                && !JsonNode.DeepEquals(current, value))
            {
                errors.Add(new FieldError($"{path}.{name}",
                    $"both deprecated and new field are used but their values mismatch: {name} = {LuaText(value)} vs {replaced} = {LuaText(current)}"));
                continue;
            }
            Merge(record, shorthand.Expand(value), shorthand.IsDeprecated);
        }
        foreach (var sub in field.Fields ?? [])
        {
            if (sub.Type == FieldType.Record && record[sub.Name] is JsonObject nested)
            {
                Expand(sub, nested, $"{path}.{sub.Name}", errors);
            }
        }
    }

    /// <summary>
    /// Merges what a shorthand produced into the record. A deprecated shorthand loses to a value
    /// the record already has (Kong's null_aware_table_merge); any other shorthand wins.
    /// </summary>
    private static void Merge(JsonObject record, JsonObject produced, bool deprecated)
    {
        foreach (var (key, value) in produced)
        {
            if (value is JsonObject nested)
            {
                if (record[key] is not JsonObject target)
                {
                    target = new JsonObject();
                    record[key] = target;
                }
                Merge(target, (JsonObject)nested.DeepClone(), deprecated);
            }
            else if (!deprecated || record[key] is null)
            {
                record[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>A value as Lua's tostring writes it in Kong's message.</summary>
    private static string LuaText(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => Validators.AsDouble(value).ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };
}
