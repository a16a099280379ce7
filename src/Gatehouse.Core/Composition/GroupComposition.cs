using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;

namespace Gatehouse.Core.Composition;

/// <summary>Something two members of a group both hold that the group cannot: as Konnect's group-status lists it.</summary>
public sealed record GroupConflict(Guid ClusterId, string Description, string ResourceId, string ResourceType);

/// <summary>
/// A control plane group's configuration: the union of its members' entities, and every
/// conflict that union would have — duplicate ids of any entity, duplicate names and other
/// unique values (usernames, custom ids, SNI names, vault prefixes, credential keys and
/// usernames…), two global plugins of one name, two entities of one cache key that holds no
/// reference (an mTLS credential's subject without a CA), and custom plugin schemas of one name
/// whose texts differ between members whose plugins use them, since the group's data planes
/// would run one plugin under two schemas. References by id stay inside a member, so they need
/// no checking across members.
/// </summary>
public static class GroupComposition
{
    /// <summary>The group composed from nothing; the recomposer keeps a <see cref="GroupUnion"/> per group and composes from what changed.</summary>
    public static (IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities, IReadOnlyList<GroupConflict> Conflicts) Compose(
        IEnumerable<(Guid Member, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities)> members)
    {
        var composed = new GroupUnion().Compose(members.Select(m => new GroupMemberState(m.Member, null, m.Entities)));
        return (composed.Entities, composed.Conflicts);
    }

    /// <summary>The conflict an entity of <paramref name="member"/> makes by holding a value another member holds first.</summary>
    internal static GroupConflict Conflict(Guid member, EntitySchema schema, string kind, string value, JsonObject entity)
    {
        var id = EntityIndexes.IdOf(entity);
        return new GroupConflict(member, Describe(schema, kind, value, id, entity), id, schema.Singular);
    }

    /// <summary>
    /// A custom plugin schema counts where its member has a plugin of that name; every member
    /// using a name must hold the same Lua text for it as the first member that does.
    /// </summary>
    internal static IEnumerable<GroupConflict> CustomSchemaConflicts(
        IReadOnlyList<(Guid Member, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities)> members)
    {
        var first = new Dictionary<string, (Guid Member, string Text)>(StringComparer.Ordinal);
        foreach (var (member, entities) in members)
        {
            var used = (entities.GetValueOrDefault(Plugins.Schema.Name) ?? []).Select(p => EntityChecks.Text(p["name"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var schema in entities.GetValueOrDefault(CustomPluginSchemas.Schema.Name) ?? [])
            {
                if (EntityChecks.Text(schema["name"]) is not { } name || !used.Contains(name) || EntityChecks.Text(schema["lua_schema"]) is not { } text)
                {
                    continue;
                }
                if (!first.TryAdd(name, (member, text)) && first[name].Text != text)
                {
                    yield return new GroupConflict(member,
                        $"conflicting custom plugin schema: '{name}' differs from the schema of that name on control plane {first[name].Member}",
                        EntityIndexes.IdOf(schema), CustomPluginSchemas.Schema.Singular);
                }
            }
        }
    }

    /// <summary>
    /// What must be unique across the group for one entity type: its id, its unique fields, and
    /// for plugins the name of a global one (a scoped plugin's route, service, consumer or group
    /// is an id local to its member, so scoped cache keys cannot clash across members).
    /// </summary>
    internal static (string Kind, Func<JsonObject, string?> Value)[] KeysOf(EntitySchema schema) => s_keys.GetOrAdd(schema.Name, _ => Keys(schema));

    private static readonly ConcurrentDictionary<string, (string Kind, Func<JsonObject, string?> Value)[]> s_keys = new(StringComparer.Ordinal);

    private static (string Kind, Func<JsonObject, string?> Value)[] Keys(EntitySchema schema)
    {
        var keys = new List<(string, Func<JsonObject, string?>)> { ("id", EntityIndexes.IdOf) };
        foreach (var field in schema.UniqueFields)
        {
            var name = field.Name;
            keys.Add((name, entity => EntityChecks.Text(entity[name])));
        }
        if (schema.Name == "plugins")
        {
            keys.Add(("global plugin", entity => IsGlobal(entity) ? EntityChecks.Text(entity["name"]) : null));
        }
        else if (schema.CacheKey is { } cacheKey)
        {
            // With a reference in it, a cache key is local to the member the referenced id is in.
            var references = cacheKey.Where(name => schema.Find(name)?.Type == FieldType.Foreign).ToArray();
            keys.Add((EntityIndexes.CacheKey, entity => references.All(name => entity[name] is null) ? EntityIndexes.CacheKeyValue(cacheKey, entity) : null));
        }
        return [.. keys];
    }

    private static bool IsGlobal(JsonObject plugin) =>
        plugin["route"] is null && plugin["service"] is null && plugin["consumer"] is null && plugin["consumer_group"] is null;

    private static string Describe(EntitySchema schema, string kind, string value, string id, JsonObject entity)
    {
        var name = EntityChecks.Text(entity["name"]) ?? EntityChecks.Text(entity["username"]) ?? EntityChecks.Text(entity["prefix"]);
        return kind switch
        {
            "id" => $"conflicting entity found: ID={id}" + (name is null ? "" : $", Name={name}"),
            "global plugin" => $"conflicting entity found: global plugin {value} is configured by more than one member (ID={id})",
            EntityIndexes.CacheKey => $"conflicting entity found: ID={id}, " +
                string.Join(", ", schema.CacheKey!.Where(field => entity[field] is not null).Select(field => $"{field}={EntityChecks.Text(entity[field]) ?? entity[field]!.ToJsonString()}")),
            _ when schema.Find(kind)?.Secret == true => $"conflicting entity found: ID={id}, {kind} (a secret, not shown) is held by another member too",
            _ => $"conflicting entity found: ID={id}, {kind}={value}",
        };
    }
}
