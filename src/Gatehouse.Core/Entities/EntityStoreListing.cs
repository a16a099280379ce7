using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>Reading every page of an <see cref="IEntityStore.ListAsync"/> listing.</summary>
public static class EntityStoreListing
{
    private const int PageSize = 1000;

    /// <summary>Every entity of <paramref name="schema"/> that passes <paramref name="filter"/>, in id order, page after page.</summary>
    public static async Task<IReadOnlyList<JsonObject>> ListAllAsync(
        this IEntityStore store, Guid controlPlane, EntitySchema schema, Func<JsonObject, bool> filter, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? after = null;
        do
        {
            var page = await store.ListAsync(controlPlane, schema, after, PageSize, filter, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);
        return items;
    }
}
