using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Import;

/// <summary>
/// A declarative file's <c>_info</c>, as decK reads it (go-database-reconciler pkg/file/types.go, <c>Info</c>):
/// <list type="bullet">
/// <item><c>select_tags</c>: the file manages only the entities carrying all of them, and gives them to every entity it holds;</item>
/// <item><c>default_lookup_tags</c>: where the entities it references but does not hold are looked up, by collection
/// (consumers, consumer groups, services, routes): among those carrying all of these tags;</item>
/// <item><c>defaults</c>: fields filled into each service, route, upstream and target of the file that lacks them;</item>
/// <item><c>skip_hash_for_basic_auth</c>: the basic-auth passwords are hashed already.</item>
/// </list>
/// </summary>
public sealed record DeclarativeInfo(
    IReadOnlyList<string> SelectTags,
    IReadOnlyDictionary<string, IReadOnlyList<string>> LookupTags,
    IReadOnlyDictionary<string, JsonObject> Defaults,
    bool SkipHashForBasicAuth)
{
    public static DeclarativeInfo None { get; } = new([], new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, JsonObject>(), false);

    /// <summary><c>default_lookup_tags</c>' keys, by the collection they look up in.</summary>
    private static readonly Dictionary<string, string> s_lookups = new(StringComparer.Ordinal)
    {
        ["consumers"] = Consumers.Schema.Name,
        ["consumer_groups"] = ConsumerGroups.Schema.Name,
        ["services"] = Services.Schema.Name,
        ["routes"] = Routes.Schema.Name,
    };

    /// <summary><c>defaults</c>' keys (decK's <c>KongDefaults</c>), by the collection they fill.</summary>
    private static readonly Dictionary<string, EntitySchema> s_defaults = new(StringComparer.Ordinal)
    {
        ["service"] = Services.Schema,
        ["route"] = Routes.Schema,
        ["upstream"] = Upstreams.Schema,
        ["target"] = Targets.Schema,
    };

    /// <summary>Reads <c>_info</c>, reporting each problem through <paramref name="fail"/> (path, message).</summary>
    public static DeclarativeInfo Read(JsonNode? info, Action<string, string> fail)
    {
        if (info is null)
        {
            return None;
        }
        if (info is not JsonObject fields)
        {
            fail("_info", "expected an object");
            return None;
        }
        var selectTags = new List<string>();
        var lookupTags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var defaults = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var skipHash = false;
        foreach (var (key, value) in fields)
        {
            var path = $"_info.{key}";
            switch (key)
            {
                case "select_tags":
                    selectTags.AddRange(Tags(value, path, fail) ?? []);
                    break;
                case "default_lookup_tags":
                    ReadLookupTags(value, path, lookupTags, fail);
                    break;
                case "defaults":
                    ReadDefaults(value, path, defaults, fail);
                    break;
                case "skip_hash_for_basic_auth" when value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    skipHash = value.GetValue<bool>();
                    break;
                case "skip_hash_for_basic_auth":
                    fail(path, "expected a boolean");
                    break;
                case "consumer_group_policy_overrides":
                    fail(path, "not supported by Gatehouse: consumer group policy overrides are a Kong Enterprise feature (rate-limiting-advanced)");
                    break;
                case "include_plugin_definitions":
                    // decK's own switch for what it dumps; it says nothing about the entities.
                    break;
                default:
                    fail(path, "unknown field");
                    break;
            }
        }
        return new DeclarativeInfo(selectTags, lookupTags, defaults, skipHash);
    }

    private static void ReadLookupTags(JsonNode? value, string path, Dictionary<string, IReadOnlyList<string>> lookupTags, Action<string, string> fail)
    {
        if (value is not JsonObject byKind)
        {
            fail(path, "expected an object");
            return;
        }
        foreach (var (kind, tags) in byKind)
        {
            if (kind == "partials")
            {
                fail($"{path}.{kind}", "not supported by Gatehouse: partials are a Kong Enterprise entity (3.10 and later)");
            }
            else if (!s_lookups.TryGetValue(kind, out var collection))
            {
                fail($"{path}.{kind}", $"unknown field: expected one of {string.Join(", ", s_lookups.Keys)}");
            }
            else if (Tags(tags, $"{path}.{kind}", fail) is { Count: > 0 } list)
            {
                lookupTags[collection] = list;
            }
        }
    }

    private static void ReadDefaults(JsonNode? value, string path, Dictionary<string, JsonObject> defaults, Action<string, string> fail)
    {
        if (value is not JsonObject byKind)
        {
            fail(path, "expected an object");
            return;
        }
        foreach (var (kind, fields) in byKind)
        {
            if (!s_defaults.TryGetValue(kind, out var schema))
            {
                fail($"{path}.{kind}", $"unknown field: expected one of {string.Join(", ", s_defaults.Keys)}");
                continue;
            }
            if (fields is not JsonObject given)
            {
                fail($"{path}.{kind}", "expected an object");
                continue;
            }
            // A default is for what many entities share: never what makes one of them itself.
            var invalid = given.Select(p => p.Key)
                .Where(f => schema.Find(f) is not { } field || field.Name == "id" || field.Unique || field.Type == FieldType.Foreign)
                .ToList();
            foreach (var field in invalid)
            {
                fail($"{path}.{kind}.{field}", schema.Find(field) is null ? "unknown field" : "cannot have a default: it identifies or references an entity");
            }
            if (invalid.Count == 0)
            {
                defaults[schema.Name] = given;
            }
        }
    }

    private static List<string>? Tags(JsonNode? value, string path, Action<string, string> fail)
    {
        if (value is not JsonArray array || array.Any(t => EntityChecks.Text(t) is not { Length: > 0 }))
        {
            fail(path, "expected an array of non-empty strings");
            return null;
        }
        return [.. array.Select(t => t!.GetValue<string>()).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// decK's merge of a default into an entity (mergo's, and pkg/file/builder.go <c>mergePluginConfig</c>
    /// for <c>_plugin_configs</c>): each field the target lacks is copied, objects on both sides merge
    /// field by field, and whatever the target gives wins.
    /// </summary>
    public static void FillMissing(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            switch (target[key])
            {
                case null when !target.ContainsKey(key):
                    target[key] = value?.DeepClone();
                    break;
                case JsonObject nested when value is JsonObject from:
                    FillMissing(nested, from);
                    break;
            }
        }
    }
}
