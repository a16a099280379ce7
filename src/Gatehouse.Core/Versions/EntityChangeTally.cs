using System.Text.Json.Nodes;

namespace Gatehouse.Core.Versions;

/// <summary>
/// The per-collection counts a version record carries, tallied one entity at a time: an entity
/// that only came was added, one that only went was removed, one held before and after changed
/// unless only its timestamps differ (a snapshot leaves them out). The one rule the change log's
/// reader and a group's kept union count by.
/// </summary>
public sealed class EntityChangeTally
{
    private readonly SortedDictionary<string, EntityChangeCounts> _counts = new(StringComparer.Ordinal);

    /// <summary>Collections with at least one entity added, changed or removed, in ordinal order.</summary>
    public IReadOnlyDictionary<string, EntityChangeCounts> Counts => _counts;

    /// <summary>One entity of <paramref name="collection"/> from <paramref name="before"/> to <paramref name="after"/>; null is absent.</summary>
    public void Count(string collection, JsonObject? before, JsonObject? after)
    {
        if (before is null && after is not null)
        {
            Added(collection);
        }
        else if (before is not null && after is null)
        {
            Removed(collection);
        }
        else if (before is not null && after is not null && !VersionChanges.SameApartFromTimestamps(before, after))
        {
            Changed(collection);
        }
    }

    /// <summary>One entity of <paramref name="collection"/> came.</summary>
    public void Added(string collection) => Add(collection, new EntityChangeCounts(1, 0, 0));

    /// <summary>One entity of <paramref name="collection"/> is held before and after, and differs.</summary>
    public void Changed(string collection) => Add(collection, new EntityChangeCounts(0, 1, 0));

    /// <summary>One entity of <paramref name="collection"/> went.</summary>
    public void Removed(string collection) => Add(collection, new EntityChangeCounts(0, 0, 1));

    private void Add(string collection, EntityChangeCounts change)
    {
        var was = _counts.GetValueOrDefault(collection) ?? new EntityChangeCounts(0, 0, 0);
        _counts[collection] = new EntityChangeCounts(was.Added + change.Added, was.Changed + change.Changed, was.Removed + change.Removed);
    }
}
