using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// A Kong core entity type: its collection name on the Admin API, its fields in order, what it
/// can be addressed by besides its id, what must be unique, and its cross-field checks.
/// </summary>
public sealed record EntitySchema(string Name, IReadOnlyList<Field> Fields)
{
    /// <summary>Kong's name for one of these in declarative config and messages (e.g. "service").</summary>
    public required string Singular { get; init; }

    /// <summary>The key of its section in a declarative file: the collection name, but <c>key_sets</c> for <c>/key-sets</c>.</summary>
    public string DeclarativeKey { get => field ?? Name; init; }

    /// <summary>The field a non-UUID path segment is looked up by (name, username, prefix...), if any.</summary>
    public string? EndpointKey { get; init; }

    /// <summary>Fields whose combination must be unique (Kong's cache_key), beyond single unique fields.</summary>
    public IReadOnlyList<string>? CacheKey { get; init; }

    public IReadOnlyList<EntityCheck> Checks { get; init; } = [];

    /// <summary>
    /// Checks against the entities the foreign keys point at, given by field name (a plugin's
    /// protocols must meet its route's).
    /// </summary>
    public Func<JsonObject, IReadOnlyDictionary<string, JsonObject>, IEnumerable<FieldError>>? ReferenceChecks { get; init; }

    /// <summary>Whether writing the entity checks what its foreign keys point at, so those must be read, not only known to exist.</summary>
    public bool ChecksParents => ReferenceChecks is not null;

    /// <summary>Rewrites shorthand input (a service's url) into fields before validation.</summary>
    public Func<JsonObject, IEnumerable<FieldError>>? Shorthands { get; init; }

    /// <summary>
    /// Picks the schema a given body (and, on PATCH, the stored entity) follows when one entity
    /// type has two shapes: a route with <c>expression</c> is an expression route.
    /// </summary>
    public Func<JsonObject, JsonObject?, EntitySchema>? Variant { get; init; }

    /// <summary>
    /// The one error that stops a write before any field is validated, when the body (or, on
    /// PATCH, the stored entity) picks no <see cref="Variant"/>: Kong validates nothing further
    /// when it cannot determine a plugin's subschema (kong/db/schema/init.lua:2111-2122 at 3.9.3).
    /// </summary>
    public Func<JsonObject, JsonObject?, FieldError?>? Undetermined { get; init; }

    /// <summary>The schema this entity (input, or stored) follows.</summary>
    public EntitySchema For(JsonObject entity, JsonObject? existing = null) => Variant?.Invoke(entity, existing) ?? this;

    /// <summary>Normalizes a valid entity (a target's default port) after validation.</summary>
    public Action<JsonObject>? Normalize { get; init; }

    /// <summary>
    /// May only be created under its parent's path (targets under upstreams, credentials under
    /// consumers), and is nested under that parent alone, not under every entity it references.
    /// </summary>
    public string? NestedOnlyUnder { get; init; }

    /// <summary>Its path segment under its parent, when Kong names it differently there (Kong's <c>admin_api_nested_name</c>: <c>/consumers/{c}/key-auth</c>).</summary>
    public string NestedName { get => field ?? Name; init; }

    /// <summary>Served with PATCH. Konnect's spec has none for consumer credentials, so they have none.</summary>
    public bool Patchable { get; init; } = true;

    /// <summary>
    /// Kong's <c>ttl = true</c> (key-auth): a write may give <c>ttl</c>, and the entity is gone
    /// from reads once it expires. Stored, and written in declarative config, as the Unix time it
    /// expires; on the Admin API it is seconds from now, in and out (<see cref="TimeToLive"/>).
    /// </summary>
    public bool Ttl { get; init; }

    /// <summary>
    /// Kong's on-write <c>transformations</c> (basic-auth hashes its password with the consumer's
    /// id), run on a valid entity unless the write says its values are transformed already
    /// (<see cref="WriteOptions.Transform"/>).
    /// </summary>
    public Action<JsonObject>? Transform { get; init; }

    /// <summary>
    /// What a value given as transformed already must be (a basic-auth password: Kong's hash), so
    /// that a write that skips the transformation cannot store what Kong would never match.
    /// </summary>
    public Func<JsonObject, IEnumerable<FieldError>>? CheckTransformed { get; init; }

    /// <summary>
    /// A list of child entities given and shown by name on this entity: a certificate's
    /// <c>snis</c>. Not stored on the entity; written as the child entities in the same commit.
    /// </summary>
    public ChildNames? ChildNames { get; init; }

    /// <summary>Kept by Gatehouse for its own bookkeeping (memberships); not a collection of the Admin API.</summary>
    public bool Internal { get; init; }

    /// <summary>Kong keeps a target's timestamps as seconds with milliseconds.</summary>
    public bool TimestampsInMilliseconds { get; init; }

    public Field? Find(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public IEnumerable<Field> ForeignKeys => Fields.Where(f => f.Type == FieldType.Foreign);

    public IEnumerable<Field> UniqueFields => Fields.Where(f => f.Unique);
}

/// <summary>The field through which an entity lists children by name, and which children.</summary>
public sealed record ChildNames(string Field, string ChildCollection, string NameField, string ForeignKey);
