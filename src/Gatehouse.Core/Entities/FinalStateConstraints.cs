using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's constraints between the entities of a control plane, checked against the state a write
/// or an import leaves: foreign keys name existing entities; the checks against those entities
/// hold (a plugin's protocols meet its route's, or one of its service's routes'); unique values
/// are held once; and nothing deleted is still referenced where Kong restricts the delete. The
/// Admin API and the declarative import both check here, so both refuse the same things in the
/// same words (kong/db/errors.lua).
/// </summary>
public static class FinalStateConstraints
{
    /// <summary>
    /// What writing <paramref name="entity"/> into <paramref name="state"/> breaks, in the order the
    /// Admin API reports it. <paramref name="byCommit"/> leaves out what the commit checks by itself:
    /// unique values, and the existence of parents that no check needs to read.
    /// </summary>
    public static async ValueTask<IReadOnlyList<ConstraintViolation>> CheckWriteAsync(
        EntitySchema schema, JsonObject entity, IFinalState state, CancellationToken cancellationToken, bool byCommit = false)
    {
        var violations = new List<ConstraintViolation>();
        var parents = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var missing = new List<(Field, string)>();
        foreach (var (field, parentId) in byCommit && !schema.ChecksParents ? [] : EntityIndexes.References(schema, entity))
        {
            if (await state.GetAsync(KongSchemas.Find(field.Reference!)!, parentId, cancellationToken).ConfigureAwait(false) is { } parent)
            {
                parents[field.Name] = parent;
            }
            else
            {
                missing.Add((field, parentId));
            }
        }
        if (missing.Count > 0)
        {
            violations.Add(ConstraintViolation.MissingReferences(missing));
        }

        var mismatches = schema.ReferenceChecks?.Invoke(entity, parents).ToList() ?? [];
        if (schema == Plugins.Schema && entity["route"] is null && parents.TryGetValue("service", out var service))
        {
            var routes = await state.ChildrenAsync(Services.Schema, EntityIndexes.IdOf(service), Routes.Schema, int.MaxValue, cancellationToken)
                .ConfigureAwait(false);
            mismatches.AddRange(Plugins.ProtocolsMeetTheServiceRoutes(entity, routes));
        }
        if (mismatches.Count > 0)
        {
            violations.Add(ConstraintViolation.Schema(mismatches));
        }

        var id = EntityIndexes.IdOf(entity);
        foreach (var (field, value) in byCommit ? [] : EntityIndexes.UniqueValues(schema, entity))
        {
            var holder = await state.FindUniqueAsync(schema, field, value, cancellationToken).ConfigureAwait(false);
            if (holder is not null && holder != id)
            {
                violations.Add(ConstraintViolation.Unique(schema, entity, field, value));
            }
        }
        return violations;
    }

    /// <summary>Why <paramref name="entity"/> may not be deleted from <paramref name="state"/>: an entity still references it where Kong restricts.</summary>
    public static async ValueTask<ConstraintViolation?> CheckDeleteAsync(
        EntitySchema schema, JsonObject entity, IFinalState state, CancellationToken cancellationToken)
    {
        foreach (var (child, _) in KongSchemas.ReferencesTo(schema).Where(r => r.Field.OnDelete == OnDelete.Restrict))
        {
            if ((await state.ChildrenAsync(schema, EntityIndexes.IdOf(entity), child, 1, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                return ConstraintViolation.ReferencedBy(schema, child);
            }
        }
        return null;
    }
}
