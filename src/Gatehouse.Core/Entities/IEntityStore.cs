using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// The revision of a control plane's configuration: a number that goes up by one with every
/// write, and the store's concurrency token for it. Writes commit only if it has not moved.
/// </summary>
public sealed record Revision(long Number, string? Token)
{
    /// <summary>The control plane was deleted: nothing more may be written here.</summary>
    public bool Deleted { get; init; }

    /// <summary>An import is being applied in several commits: until it finishes, only it may write.</summary>
    public ImportProgress? Import { get; init; }
}

/// <summary>
/// How far a multi-commit import has got: the journal it follows, the next of its batches to
/// commit, and when it last moved (a stalled import is resumed by the sweeper).
/// </summary>
public sealed record ImportProgress(string Id, int NextBatch, int Batches, DateTimeOffset UpdatedAt);

/// <summary>One row to write or delete in a commit.</summary>
public abstract record EntityChange(EntitySchema Schema)
{
    /// <summary>Creates or replaces the entity; <paramref name="Previous"/> is what it replaces, to retire stale index rows.</summary>
    public sealed record Put(EntitySchema Schema, JsonObject Entity, JsonObject? Previous) : EntityChange(Schema);

    public sealed record Delete(EntitySchema Schema, JsonObject Entity) : EntityChange(Schema);

    /// <summary>
    /// Writes nothing, but the commit lands only if the entity exists: a foreign key's target,
    /// asserted by the commit instead of read before it.
    /// </summary>
    public sealed record Exists(EntitySchema Schema, string Id) : EntityChange(Schema);
}

public enum CommitOutcome
{
    Committed,

    /// <summary>Someone else wrote first: read again and retry.</summary>
    Stale,

    /// <summary>A unique value (name, cache key...) is taken.</summary>
    UniqueViolation,

    /// <summary>An id is taken.</summary>
    IdTaken,

    /// <summary>An entity an <see cref="EntityChange.Exists"/> asserts is not there.</summary>
    MissingReference,
}

public sealed record CommitResult(CommitOutcome Outcome, long Revision = 0, string? Field = null);

/// <summary>A page of entities in id order; <see cref="Next"/> is the id to continue after, or null at the end.</summary>
public sealed record EntityPage(IReadOnlyList<JsonObject> Items, string? Next);

/// <summary>
/// Where a control plane's Kong entities live, with the indexes Kong's constraints need. Every
/// commit is one atomic write that also moves the revision forward, or nothing.
/// </summary>
public interface IEntityStore
{
    Task<Revision> GetRevisionAsync(Guid controlPlane, CancellationToken cancellationToken);

    /// <summary>
    /// The revision as this instance last saw it (read, or committed), without a round trip; null
    /// when it has none. It may be stale, so it serves only a commit conditional on it: that lands
    /// only if no commit has come since, and so proves every read made after the sighting current.
    /// </summary>
    Revision? LastSeenRevision(Guid controlPlane);

    Task<JsonObject?> GetAsync(Guid controlPlane, EntitySchema schema, string id, CancellationToken cancellationToken);

    /// <summary>The id of the entity holding a unique value (a field, or the cache key as <c>cache_key</c>).</summary>
    Task<string?> FindUniqueAsync(Guid controlPlane, EntitySchema schema, string field, string value, CancellationToken cancellationToken);

    /// <summary>Entities of one collection after <paramref name="after"/>, scanning until <paramref name="limit"/> pass the filter.</summary>
    Task<EntityPage> ListAsync(
        Guid controlPlane, EntitySchema schema, string? after, int limit, Func<JsonObject, bool> filter, CancellationToken cancellationToken);

    /// <summary>Entities of <paramref name="child"/> whose foreign key points at the given parent.</summary>
    Task<EntityPage> ListChildrenAsync(
        Guid controlPlane, EntitySchema parent, string parentId, EntitySchema child, string? after, int limit,
        Func<JsonObject, bool> filter, CancellationToken cancellationToken);

    /// <summary>
    /// Commits the changes and moves the revision forward, if it still stands at <paramref name="expected"/>.
    /// The new revision carries <paramref name="import"/> (null: no import in progress).
    /// </summary>
    Task<CommitResult> CommitAsync(
        Guid controlPlane, Revision expected, IReadOnlyList<EntityChange> changes, CancellationToken cancellationToken, ImportProgress? import = null);
}
