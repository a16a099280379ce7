using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>A control plane's entities as stored: what one Admin API write is checked against.</summary>
internal sealed class StoredEntities(IEntityStore store, Guid controlPlane) : IFinalState
{
    private const int PageSize = 1000;

    public ValueTask<JsonObject?> GetAsync(EntitySchema schema, string id, CancellationToken cancellationToken) =>
        new(store.GetAsync(controlPlane, schema, id, cancellationToken));

    public ValueTask<string?> FindUniqueAsync(EntitySchema schema, string field, string value, CancellationToken cancellationToken) =>
        new(store.FindUniqueAsync(controlPlane, schema, field, value, cancellationToken));

    public async ValueTask<IReadOnlyList<JsonObject>> ChildrenAsync(
        EntitySchema parent, string parentId, EntitySchema child, int limit, CancellationToken cancellationToken)
    {
        var children = new List<JsonObject>();
        string? after = null;
        do
        {
            var page = await store.ListChildrenAsync(controlPlane, parent, parentId, child, after, Math.Min(PageSize, limit - children.Count), _ => true, cancellationToken)
                .ConfigureAwait(false);
            children.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null && children.Count < limit);
        return children;
    }
}
