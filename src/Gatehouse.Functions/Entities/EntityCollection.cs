using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// A collection the core-entities API serves: an entity type flat (<c>/services</c>), or nested
/// under the entity type one of its foreign keys points at (<c>/services/{serviceKey}/routes</c>),
/// where what is listed and created belongs to that parent.
/// </summary>
internal sealed record EntityCollection(EntitySchema Schema, EntitySchema? Parent = null, Field? ParentField = null)
{
    /// <summary>
    /// Every collection of <paramref name="schemas"/>: each public type flat, and under each public
    /// type it references (only under its one parent, when it is created only there).
    /// </summary>
    public static IEnumerable<EntityCollection> Of(IEnumerable<EntitySchema> schemas) =>
        schemas.Where(schema => !schema.Internal).SelectMany(schema => schema.ForeignKeys
            .DistinctBy(field => field.Reference)
            .Where(field => schema.NestedOnlyUnder is null || field.Reference == schema.NestedOnlyUnder)
            .Select(field => (Field: field, Parent: KongSchemas.FindPublic(field.Reference!)))
            .Where(reference => reference.Parent is not null)
            .Select(reference => new EntityCollection(schema, reference.Parent, reference.Field))
            .Prepend(new EntityCollection(schema)));

    /// <summary>The collection's route, relative to the core-entities prefix.</summary>
    public string Path => Parent is null ? $"/{Schema.Name}" : $"/{Parent.Name}/{{{KeyParameter(Parent)}}}/{Schema.NestedName}";

    /// <summary>One entity of the collection, by id or endpoint key.</summary>
    public string ItemPath => $"{Path}/{{{KeyParameter(Schema)}}}";

    /// <summary>Targets, say, are created under their upstream only.</summary>
    public bool AcceptsCreate => Schema.NestedOnlyUnder is null || Schema.NestedOnlyUnder == Parent?.Name;

    /// <summary>The route parameter that holds an entity's id or endpoint key: <c>serviceKey</c>.</summary>
    public static string KeyParameter(EntitySchema schema) => $"{schema.Singular}Key";

    /// <summary>The key of <paramref name="schema"/> in the request's path, percent-decoded (a key may hold a slash).</summary>
    public static string Key(HttpContext context, EntitySchema schema) =>
        Uri.UnescapeDataString((string)context.GetRouteValue(KeyParameter(schema))!);

    public ParentScope? Scope(HttpContext context) => Parent is null ? null : new ParentScope(Parent, Key(context, Parent), ParentField!);
}
