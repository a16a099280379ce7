using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// The entities of one control plane as a write or an import will leave them: what
/// <see cref="FinalStateConstraints"/> checks against. The Admin API reads them from the store
/// (one write changes one entity); an import plans them in memory and answers at once.
/// </summary>
public interface IFinalState
{
    ValueTask<JsonObject?> GetAsync(EntitySchema schema, string id, CancellationToken cancellationToken);

    /// <summary>The id of the entity holding a unique value (a field, or the cache key as <c>cache_key</c>).</summary>
    ValueTask<string?> FindUniqueAsync(EntitySchema schema, string field, string value, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> entities of <paramref name="child"/> whose foreign key points at the given parent.</summary>
    ValueTask<IReadOnlyList<JsonObject>> ChildrenAsync(EntitySchema parent, string parentId, EntitySchema child, int limit, CancellationToken cancellationToken);
}
