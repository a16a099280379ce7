using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's certificate <c>snis</c> shorthand, in general terms: an entity names its children in a
/// list field; writing the list creates and deletes the children to match, in the same commit;
/// reading the entity shows the list, sorted.
/// </summary>
internal sealed class ChildNameSync(IEntityStore store, EntityProcessor processor)
{
    // Each child is three rows (entity, unique name, foreign key): this keeps a commit under 100.
    public const int MaxNames = 25;

    /// <summary>
    /// The child changes that make the children match the names in <paramref name="input"/>.
    /// Without the field, POST and PATCH leave the children alone and PUT removes them (as Kong does).
    /// </summary>
    public async Task<List<EntityChange>> ChangesAsync(
        Guid controlPlane, EntitySchema schema, JsonObject entity, JsonObject input, WriteMode mode, CancellationToken cancellationToken)
    {
        if (schema.ChildNames is not { } names)
        {
            return [];
        }
        var given = input.TryGetPropertyValue(names.Field, out var list) && list is not null;
        if (!given && mode != WriteMode.Upsert)
        {
            return [];
        }
        var child = KongSchemas.Find(names.ChildCollection)!;
        var desired = given ? Desired(list!, names.Field) : [];
        var parentId = EntityIndexes.IdOf(entity);
        var existing = await AllChildrenAsync(controlPlane, schema, parentId, child, cancellationToken).ConfigureAwait(false);
        var existingNames = existing.ToDictionary(c => c[names.NameField]!.GetValue<string>(), StringComparer.Ordinal);

        var changes = new List<EntityChange>();
        var errors = new List<FieldError>();
        foreach (var gone in existing.Where(c => !desired.Contains(c[names.NameField]!.GetValue<string>())))
        {
            changes.Add(new EntityChange.Delete(child, gone));
        }
        for (var i = 0; i < desired.Count; i++)
        {
            var name = desired[i];
            if (existingNames.ContainsKey(name))
            {
                continue;
            }
            var holder = await store.FindUniqueAsync(controlPlane, child, names.NameField, name, cancellationToken).ConfigureAwait(false);
            if (holder is not null)
            {
                var owner = (await store.GetAsync(controlPlane, child, holder, cancellationToken).ConfigureAwait(false))?[names.ForeignKey]?["id"];
                errors.Add(new FieldError(names.Field, $"{name} already associated with existing {schema.Singular} '{owner}'"));
                continue;
            }
            var body = new JsonObject { [names.NameField] = name, [names.ForeignKey] = new JsonObject { ["id"] = parentId } };
            var (created, childErrors) = processor.Prepare(child, body, WriteMode.Insert);
            if (created is null)
            {
                errors.AddRange(childErrors.Select(e => e with { Path = $"{names.Field}[{i}]" }));
                continue;
            }
            changes.Add(new EntityChange.Put(child, created, null));
        }
        if (errors.Count > 0)
        {
            throw new EntityRejectedException(Rejection.Invalid, "validation error", errors);
        }
        return changes;
    }

    /// <summary>The entity as the API shows it: with its children's names, sorted.</summary>
    public async Task<JsonObject> DecorateAsync(Guid controlPlane, EntitySchema schema, JsonObject entity, CancellationToken cancellationToken)
    {
        if (schema.ChildNames is not { } names)
        {
            return entity;
        }
        var child = KongSchemas.Find(names.ChildCollection)!;
        var children = await AllChildrenAsync(controlPlane, schema, EntityIndexes.IdOf(entity), child, cancellationToken).ConfigureAwait(false);
        var decorated = (JsonObject)entity.DeepClone();
        decorated[names.Field] = new JsonArray([.. children.Select(c => c[names.NameField]!.GetValue<string>()).Order(StringComparer.Ordinal).Select(n => (JsonNode)n)]);
        return decorated;
    }

    private static List<string> Desired(JsonNode list, string field)
    {
        if (list is not JsonArray array)
        {
            throw Invalid(field, "expected an array");
        }
        if (array.Count > MaxNames)
        {
            throw Invalid(field, $"length must be at most {MaxNames}");
        }
        var names = new List<string>();
        foreach (var item in array)
        {
            if (item?.GetValueKind() != JsonValueKind.String)
            {
                throw Invalid(field, "expected an array of strings");
            }
            var name = item.GetValue<string>();
            if (names.Contains(name, StringComparer.Ordinal))
            {
                throw Invalid(field, $"{name} is duplicated");
            }
            names.Add(name);
        }
        return names;
    }

    private async Task<List<JsonObject>> AllChildrenAsync(
        Guid controlPlane, EntitySchema parent, string parentId, EntitySchema child, CancellationToken cancellationToken)
    {
        var all = new List<JsonObject>();
        string? after = null;
        do
        {
            var page = await store.ListChildrenAsync(controlPlane, parent, parentId, child, after, EntityListQuery.MaxSize, _ => true, cancellationToken)
                .ConfigureAwait(false);
            all.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);
        return all;
    }

    private static EntityRejectedException Invalid(string field, string message) =>
        new(Rejection.Invalid, "validation error", [new FieldError(field, message)]);
}
