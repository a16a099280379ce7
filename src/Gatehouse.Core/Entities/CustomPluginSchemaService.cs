using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Konnect's custom plugin schemas of one control plane (<c>/core-entities/plugin-schemas</c>):
/// a plugin's <c>schema.lua</c> uploaded as text, read by <see cref="LuaSchemaConverter"/> and,
/// once stored, what plugins of that name validate against on this control plane. Writes go
/// through the control plane's revision like entity writes, so a schema cannot be deleted while a
/// plugin that uses it is being written, and groups recompose when a member's schemas change.
/// </summary>
public sealed class CustomPluginSchemaService(
    IEntityStore store, IControlPlaneStore controlPlanes, IRecomposeQueue recompose, EntityProcessor processor, TimeProvider clock)
{
    private static readonly EntitySchema s_schema = CustomPluginSchemas.Schema;

    private readonly RevisionGate _revisions = new(store, controlPlanes, recompose);

    /// <summary>Every custom schema of the control plane, by name.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        var all = await _revisions.SettledReadAsync(controlPlane, () => store.ListAllAsync(controlPlane, s_schema, _ => true, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return [.. all.OrderBy(item => EntityChecks.Text(item["name"]), StringComparer.Ordinal)];
    }

    public async Task<JsonObject> GetAsync(Guid controlPlane, string name, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return await CustomPluginLookup.GetAsync(store, controlPlane, name, cancellationToken).ConfigureAwait(false) ?? throw NotFound(name);
    }

    /// <summary>POST: a new schema, named by its own <c>name</c>; 409 when the name is taken or bundled.</summary>
    public Task<JsonObject> CreateAsync(Guid controlPlane, string luaSchema, CancellationToken cancellationToken)
    {
        var name = Read(luaSchema).Name;
        return _revisions.WriteAsync<JsonObject>(controlPlane, async () =>
        {
            if (await CustomPluginLookup.GetAsync(store, controlPlane, name, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ConflictException($"a custom plugin schema named '{name}' already exists");
            }
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var entity = Entity(Guid.NewGuid().ToString(), name, luaSchema, now, now);
            return (entity, [new EntityChange.Put(s_schema, entity, null)]);
        }, cancellationToken);
    }

    /// <summary>
    /// PUT: creates or replaces the schema of <paramref name="name"/>; the text must name the same
    /// plugin. A replacement that would refuse a plugin stored under the old one is a 409 naming
    /// the plugins and why: data planes would refuse the config the control plane then composed.
    /// </summary>
    public Task<JsonObject> UpsertAsync(Guid controlPlane, string name, string luaSchema, CancellationToken cancellationToken)
    {
        var parsed = Read(luaSchema);
        if (parsed.Name != name)
        {
            throw new RequestInvalidException($"lua_schema: the schema's name '{parsed.Name}' is not '{name}', the name in the path", []);
        }
        return _revisions.WriteAsync<JsonObject>(controlPlane, async () =>
        {
            var existing = await CustomPluginLookup.GetAsync(store, controlPlane, name, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                await RefuseIfStoredPluginsBreakAsync(controlPlane, parsed, cancellationToken).ConfigureAwait(false);
            }
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var entity = existing is null
                ? Entity(Guid.NewGuid().ToString(), name, luaSchema, now, now)
                : Entity(EntityIndexes.IdOf(existing), name, luaSchema, existing["created_at"]!.GetValue<long>(), now);
            return (entity, [new EntityChange.Put(s_schema, entity, existing)]);
        }, cancellationToken);
    }

    /// <summary>DELETE: 404 when there is none; 409 while a plugin of that name remains on the control plane.</summary>
    public Task DeleteAsync(Guid controlPlane, string name, CancellationToken cancellationToken) =>
        _revisions.WriteAsync<bool>(controlPlane, async () =>
        {
            var existing = await CustomPluginLookup.GetAsync(store, controlPlane, name, cancellationToken).ConfigureAwait(false) ?? throw NotFound(name);
            var users = await store.ListAsync(controlPlane, Plugins.Schema, null, 1, plugin => EntityChecks.Text(plugin["name"]) == name, cancellationToken)
                .ConfigureAwait(false);
            if (users.Items.Count > 0)
            {
                throw new ConflictException($"the custom plugin schema '{name}' is in use by plugin {EntityIndexes.IdOf(users.Items[0])}: delete the plugins of that name first");
            }
            return (true, [new EntityChange.Delete(s_schema, existing)]);
        }, cancellationToken);

    /// <summary>Each stored plugin of the schema's name, checked against the new schema as <see cref="InvalidPlugins"/> checks one.</summary>
    private async Task RefuseIfStoredPluginsBreakAsync(Guid controlPlane, PluginSchema replacement, CancellationToken cancellationToken)
    {
        const int Named = 5;
        var refused = new List<string>();
        var count = 0;
        var stored = await store.ListAllAsync(controlPlane, Plugins.Schema, plugin => EntityChecks.Text(plugin["name"]) == replacement.Name, cancellationToken)
            .ConfigureAwait(false);
        foreach (var plugin in stored)
        {
            var errors = InvalidPlugins.Errors(processor, plugin, name => name == replacement.Name ? replacement : null);
            if (errors.Count > 0 && ++count <= Named)
            {
                refused.Add($"plugin {EntityIndexes.IdOf(plugin)} ({string.Join("; ", errors.Select(e => $"{e.Path ?? "@entity"}: {e.Message}"))})");
            }
        }
        if (count > 0)
        {
            throw new ConflictException(
                $"the new schema of '{replacement.Name}' refuses {count} stored plugin(s) of that name: {string.Join(", ", refused)}" +
                (count > Named ? $" and {count - Named} more" : "") + ". Change or delete those plugins first, or keep the schema compatible");
        }
    }

    /// <summary>The schema read from the text, or the 400 that names the line; a bundled name is a 409.</summary>
    private static PluginSchema Read(string luaSchema)
    {
        PluginSchema parsed;
        try
        {
            parsed = LuaSchemaConverter.Convert(luaSchema);
        }
        catch (LuaSchemaException refused)
        {
            throw new RequestInvalidException($"lua_schema: {refused.Message}", []);
        }
        if (PluginSchemas.IsBundled(parsed.Name))
        {
            throw new ConflictException($"'{parsed.Name}' is a plugin bundled with Kong: a custom plugin schema may not take its name");
        }
        return parsed;
    }

    private static JsonObject Entity(string id, string name, string luaSchema, long createdAt, long updatedAt) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["lua_schema"] = luaSchema,
        ["created_at"] = createdAt,
        ["updated_at"] = updatedAt,
    };

    private static NotFoundException NotFound(string name) => new($"No custom plugin schema named '{name}'");
}
