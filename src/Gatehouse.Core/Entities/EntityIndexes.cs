using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>The index entries Kong's constraints need for one entity: unique values and foreign keys.</summary>
public static class EntityIndexes
{
    public const string CacheKey = "cache_key";

    /// <summary>(field, value) for each unique field that is set, and the cache key when the schema has one.</summary>
    public static IEnumerable<(string Field, string Value)> UniqueValues(EntitySchema schema, JsonObject entity)
    {
        foreach (var field in schema.UniqueFields)
        {
            if (entity[field.Name] is { } value && value.GetValueKind() == JsonValueKind.String)
            {
                yield return (field.Name, value.GetValue<string>());
            }
        }
        if (schema.CacheKey is { } cacheKey)
        {
            yield return (CacheKey, CacheKeyValue(cacheKey, entity));
        }
    }

    /// <summary>The cache key as one string: the JSON array of its fields' values, references by id.</summary>
    public static string CacheKeyValue(IReadOnlyList<string> fields, JsonObject entity)
    {
        var values = new JsonArray();
        foreach (var name in fields)
        {
            var value = entity[name];
            values.Add(value is JsonObject reference ? reference["id"]?.DeepClone() : value?.DeepClone());
        }
        return values.ToJsonString();
    }

    /// <summary>(referenced collection, referenced id) for each foreign key that is set.</summary>
    public static IEnumerable<(Field Field, string ParentId)> References(EntitySchema schema, JsonObject entity)
    {
        foreach (var field in schema.ForeignKeys)
        {
            if (entity[field.Name] is JsonObject reference && reference["id"] is { } id)
            {
                yield return (field, id.GetValue<string>());
            }
        }
    }

    public static string IdOf(JsonObject entity) => entity["id"]!.GetValue<string>();
}
