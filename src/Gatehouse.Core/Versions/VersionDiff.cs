using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;
using Gatehouse.Core.Import;

namespace Gatehouse.Core.Versions;

/// <summary>
/// The entity-level diff between two versions, made by the import planner so that it is the very
/// diff an import's dry run answers: what restoring <c>to</c> would do to a control plane standing
/// at <c>from</c>. <c>from</c> is first planned onto nothing, which gives its entities in their
/// stored form; then <c>to</c> is planned against those.
/// </summary>
public sealed class VersionDiff(ImportPlanner planner, IEntityStore store)
{
    public async Task<ImportPlan> BetweenAsync(Guid controlPlane, JsonObject from, JsonObject to, CancellationToken cancellationToken)
    {
        // A plugin of a custom schema validates against the control plane's schema of that name, as an import's does.
        var customSchemas = await store.ListAllAsync(controlPlane, CustomPluginSchemas.Schema, _ => true, cancellationToken).ConfigureAwait(false);
        var nothing = new EntitySnapshot(0, false, new Dictionary<string, IReadOnlyList<JsonObject>> { [CustomPluginSchemas.Schema.Name] = customSchemas });
        var baseline = planner.Plan(DeclarativeFile.Parse(from), nothing);
        var entities = baseline.Changes
            .GroupBy(c => c.Schema.Name)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<JsonObject>)[.. g.Select(c => c.Entity)]);
        entities[CustomPluginSchemas.Schema.Name] = customSchemas;
        return planner.Plan(DeclarativeFile.Parse(to), new EntitySnapshot(0, false, entities));
    }
}
