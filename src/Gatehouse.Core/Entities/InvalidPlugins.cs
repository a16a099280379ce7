using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Entities;

/// <summary>A stored plugin that its schema refuses today, and why.</summary>
public sealed record InvalidPlugin(JsonObject Plugin, IReadOnlyList<FieldError> Errors);

/// <summary>A page of <see cref="InvalidPlugin"/>s; <see cref="Next"/> is the id to continue after.</summary>
public sealed record InvalidPluginPage(IReadOnlyList<InvalidPlugin> Items, string? Next);

/// <summary>
/// Plugins stored before Gatehouse validated every plugin's config (issue 12 item 6): a config
/// a schema now refuses, or a name without a schema. They are kept and served as stored (reads,
/// lists, snapshots and export do not validate), and found here: each stored plugin is validated
/// again as a PUT of it would be, by its fields and entity checks alone (what it points at is
/// not looked up). A PATCH or PUT that makes it valid takes it off the list; a PATCH validates
/// the merged result, so it must fix every error at once.
/// </summary>
public sealed class InvalidPlugins(EntityService entities, EntityProcessor processor, CustomPluginSchemaService customSchemas)
{
    /// <summary>The next page of stored plugins that no longer validate, in id order, filtered by Kong's list parameters too.</summary>
    public async Task<InvalidPluginPage> ListAsync(Guid controlPlane, EntityListQuery query, CancellationToken cancellationToken)
    {
        // A plugin of one of the control plane's custom schemas is checked against it, as its writes are.
        var custom = CustomPluginSchemas.ByName(await customSchemas.ListAsync(controlPlane, cancellationToken).ConfigureAwait(false));
        var page = await entities.ListAsync(controlPlane, Plugins.Schema, query with { Where = plugin => Errors(processor, plugin, custom.GetValueOrDefault).Count > 0 }, null, cancellationToken)
            .ConfigureAwait(false);
        return new InvalidPluginPage([.. page.Items.Select(plugin => new InvalidPlugin(plugin, Errors(processor, plugin, custom.GetValueOrDefault)))], page.Next);
    }

    /// <summary>What a PUT of the stored plugin as it is would be refused for; empty when it is valid.</summary>
    public static IReadOnlyList<FieldError> Errors(EntityProcessor processor, JsonObject stored, Func<string, PluginSchema?>? custom = null) =>
        processor.Prepare(Plugins.For(stored, null, custom), stored, WriteMode.Upsert).Errors;
}
