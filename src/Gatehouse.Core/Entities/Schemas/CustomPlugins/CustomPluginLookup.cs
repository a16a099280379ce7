using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// Finds a control plane's custom plugin schema by plugin name, for whoever validates or shows a
/// plugin: the one per-control-plane lookup that <see cref="Plugins.For"/> and
/// <see cref="PluginSchemas.Find"/> take. A bundled name never looks here.
/// </summary>
public static class CustomPluginLookup
{
    public static async Task<PluginSchema?> FindAsync(IEntityStore store, Guid controlPlane, string name, CancellationToken cancellationToken)
    {
        if (PluginSchemas.IsBundled(name))
        {
            return null;
        }
        var stored = await GetAsync(store, controlPlane, name, cancellationToken).ConfigureAwait(false);
        return EntityChecks.Text(stored?["lua_schema"]) is { } text ? CustomPluginSchemas.ParseStored(text) : null;
    }

    /// <summary>The stored schema entity of that name, or null.</summary>
    public static async Task<JsonObject?> GetAsync(IEntityStore store, Guid controlPlane, string name, CancellationToken cancellationToken)
    {
        var id = await store.FindUniqueAsync(controlPlane, CustomPluginSchemas.Schema, "name", name, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await store.GetAsync(controlPlane, CustomPluginSchemas.Schema, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The schema a write of <paramref name="schema"/> validates against: for a plugin whose name
    /// has a custom schema on this control plane, the plugins entity specialized for it; otherwise
    /// <paramref name="schema"/> itself.
    /// </summary>
    public static async Task<EntitySchema> ValidatingSchemaAsync(
        IEntityStore store, Guid controlPlane, EntitySchema schema, JsonObject input, JsonObject? existing, CancellationToken cancellationToken)
    {
        if (schema != Plugins.Schema || Plugins.NameOf(input, existing) is not { } name
            || await FindAsync(store, controlPlane, name, cancellationToken).ConfigureAwait(false) is not { } custom)
        {
            return schema;
        }
        return Plugins.For(input, existing, n => n == name ? custom : null);
    }
}
