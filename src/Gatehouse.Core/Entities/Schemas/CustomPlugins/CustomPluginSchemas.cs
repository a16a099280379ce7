using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using static Gatehouse.Core.Entities.Typedefs;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// A control plane's custom plugin schemas (Konnect's <c>/core-entities/plugin-schemas</c>),
/// stored as entities of their own collection: unique by name, with the Lua text as uploaded.
/// The collection is not one of <see cref="KongSchemas.All"/>: it is no Kong entity, so it is
/// not in a snapshot, an export or an import, and the core-entities routes do not serve it.
/// </summary>
public static class CustomPluginSchemas
{
    public static EntitySchema Schema { get; } = new("plugin_schemas",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("name", FieldType.String) { Required = true, Unique = true },
        new Field("lua_schema", FieldType.String) { Required = true },
    ])
    {
        Singular = "plugin_schema",
        EndpointKey = "name",
        Internal = true,
    };

    // Parsed schemas by their text: a plugin write reads its schema's text and should not parse it
    // each time. Bounded, since texts come from users; when full it starts over.
    private const int CacheSize = 256;
    private static readonly ConcurrentDictionary<string, PluginSchema> s_parsed = new(StringComparer.Ordinal);

    /// <summary>The engine's schema for a stored (so already accepted) Lua text.</summary>
    public static PluginSchema Parse(string luaSchema)
    {
        if (s_parsed.TryGetValue(luaSchema, out var parsed))
        {
            return parsed;
        }
        if (s_parsed.Count >= CacheSize)
        {
            s_parsed.Clear();
        }
        return s_parsed.GetOrAdd(luaSchema, LuaSchemaConverter.Convert);
    }

    /// <summary>
    /// A control plane's stored custom schemas by name, as the engine reads them: how a write
    /// that meets many plugins (an import, a check of every stored plugin) finds each one's schema.
    /// </summary>
    public static IReadOnlyDictionary<string, PluginSchema> ByName(IEnumerable<JsonObject> stored)
    {
        var byName = new Dictionary<string, PluginSchema>(StringComparer.Ordinal);
        foreach (var schema in stored)
        {
            if (EntityChecks.Text(schema["name"]) is { } name && EntityChecks.Text(schema["lua_schema"]) is { } text && ParseStored(text) is { } parsed)
            {
                byName[name] = parsed;
            }
        }
        return byName;
    }

    /// <summary>
    /// A stored schema's text as the engine's schema, or null when it no longer reads (accepted by
    /// an earlier Gatehouse that read more): its plugins are then treated as having no schema,
    /// rather than failing every write on the control plane.
    /// </summary>
    public static PluginSchema? ParseStored(string luaSchema)
    {
        try
        {
            return Parse(luaSchema);
        }
        catch (LuaSchemaException)
        {
            return null;
        }
    }
}
