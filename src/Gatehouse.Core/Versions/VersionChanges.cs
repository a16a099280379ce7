using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Import;

namespace Gatehouse.Core.Versions;

/// <summary>
/// The per-type counts a version record carries: how many entities a snapshot adds, changes and
/// removes against the one before. Both are Gatehouse's own rendering (every entity with its id,
/// timestamps left out), so an entity is the same one by type and id, and changed when its body or
/// the entity it is nested in differs. The entity-level diff with changed fields is the import
/// planner's (<see cref="VersionDiff"/>); this only counts, and costs a parse of each document.
/// </summary>
public static class VersionChanges
{
    /// <summary>Counts from <paramref name="previous"/> (null: nothing before) to <paramref name="next"/>, per collection, leaving out those with none.</summary>
    public static IReadOnlyDictionary<string, EntityChangeCounts> Between(JsonObject? previous, JsonObject next)
    {
        var before = previous is null ? [] : Index(previous);
        var after = Index(next);
        var tally = new EntityChangeTally();
        foreach (var (key, entity) in after)
        {
            if (!before.TryGetValue(key, out var old))
            {
                tally.Added(key.Collection);
            }
            else if (!Same(old, entity))
            {
                tally.Changed(key.Collection);
            }
        }
        foreach (var key in before.Keys.Where(k => !after.ContainsKey(k)))
        {
            tally.Removed(key.Collection);
        }
        return tally.Counts;
    }

    private static Dictionary<(string Collection, string Id), FileEntity> Index(JsonObject document) =>
        DeclarativeFile.Parse(document).Entities
            .GroupBy(e => (e.Schema.Name, KeyOf(e)))
            .ToDictionary(g => g.Key, g => g.First());

    /// <summary>
    /// An entity's id; a consumer group membership, which the document names only by its consumer
    /// (<c>consumers: [{username}]</c>), is its group and that name.
    /// </summary>
    private static string KeyOf(FileEntity entity) =>
        entity.Schema == ConsumerGroups.Membership || EntityChecks.Text(entity.Body["id"]) is not { } id
            ? $"{EntityChecks.Text(entity.Parent?.Body["id"])}/{entity.Body.ToJsonString()}"
            : id;

    /// <summary>
    /// Whether two stored bodies of one entity are the same as a snapshot renders them: their
    /// timestamps, which the snapshot leaves out, aside. How the recomposer counts from the change log.
    /// </summary>
    public static bool SameApartFromTimestamps(JsonObject a, JsonObject b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (name, value) in a)
        {
            if (name is "created_at" or "updated_at")
            {
                continue;
            }
            if (!b.TryGetPropertyValue(name, out var other) || !JsonNode.DeepEquals(value, other))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Same(FileEntity a, FileEntity b) =>
        JsonNode.DeepEquals(a.Body, b.Body)
        && EntityChecks.Text(a.Parent?.Body["id"]) == EntityChecks.Text(b.Parent?.Body["id"])
        && a.ParentField == b.ParentField;
}
