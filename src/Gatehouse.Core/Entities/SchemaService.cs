using System.Text.Json.Nodes;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's schema endpoints for one control plane: the plugins it takes, a plugin's schema in
/// Kong's JSON, and validation without writing (kong/api/routes/kong.lua:33-46, 185-240 at 3.9.3).
/// They are asked of a control plane, not of Gatehouse, because a control plane's custom plugin
/// schemas (<see cref="CustomPluginSchemaService"/>) add to what it takes.
/// </summary>
public sealed class SchemaService(IControlPlaneStore controlPlanes, EntityProcessor processor, IEntityStore store, CustomPluginSchemaService customSchemas)
{
    /// <summary>The plugin names whose configs this control plane validates, its custom schemas' included, sorted.</summary>
    public async Task<IReadOnlyList<string>> AvailablePluginsAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var custom = await customSchemas.ListAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return [.. PluginSchemas.All.Select(plugin => plugin.Name)
            .Concat(custom.Select(schema => EntityChecks.Text(schema["name"])).OfType<string>())
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The plugin's schema as Kong's <c>/schemas/plugins/{name}</c> answers it; Kong's 404 for a name without one.</summary>
    public async Task<JsonObject> PluginSchemaAsync(Guid controlPlane, string name, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return (PluginSchemas.Find(name) ?? await CustomPluginLookup.FindAsync(store, controlPlane, name, cancellationToken).ConfigureAwait(false)) is { } plugin
            ? KongSchemaJson.Plugin(plugin)
            : throw new EntityRejectedException(Rejection.NotFound, $"No plugin named '{name}'");
    }

    /// <summary>
    /// Kong's <c>/schemas/{entity}/validate</c>: the entity as a create would validate it (defaults,
    /// fields, entity checks, a plugin's config by its name), with nothing looked up or stored, so
    /// foreign keys are checked for shape, not for existence. No errors means valid.
    /// The entity is named by its Admin API collection (<c>key-sets</c>) or Kong's DAO name (<c>key_sets</c>).
    /// </summary>
    public async Task<IReadOnlyList<FieldError>> ValidateAsync(Guid controlPlane, string entityName, JsonObject body, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        var schema = KongSchemas.All.FirstOrDefault(s => !s.Internal && (s.Name == entityName || s.DeclarativeKey == entityName))
            ?? throw new EntityRejectedException(Rejection.NotFound, $"No entity named '{entityName}'");
        // A certificate's snis list is taken on create though it is not a field; here it is let
        // through unchecked, since whether a name is free is a question for the store.
        var childNames = schema.ChildNames is { } names ? new HashSet<string>(StringComparer.Ordinal) { names.Field } : null;
        schema = await CustomPluginLookup.ValidatingSchemaAsync(store, controlPlane, schema, body, null, cancellationToken).ConfigureAwait(false);
        return processor.Prepare(schema, body, WriteMode.Insert, extraInputs: childNames).Errors;
    }
}
