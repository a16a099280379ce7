using System.Text.Json.Nodes;

namespace Gatehouse.Core.Composition;

/// <summary>One entity a commit put (with its body as it now stands) or deleted (<see cref="Entity"/> null).</summary>
public sealed record EntityDeltaItem(string Collection, string Id, JsonObject? Entity);

/// <summary>
/// What changed in a control plane after a revision: each entity put or deleted since, once,
/// as it stands at <see cref="Revision"/>, and who made those commits (as the audit log names
/// them, in the order they first made one; commits no request made name no one).
/// </summary>
public sealed record EntityDelta(long Revision, bool Deleted, bool Importing, IReadOnlyList<EntityDeltaItem> Changes)
{
    public IReadOnlyList<string> MadeBy { get; init; } = [];

    /// <summary>
    /// Brings <paramref name="entities"/> (each collection by id) from the revision this delta is
    /// after to <see cref="Revision"/>: each put replaces or adds its entity, each delete removes
    /// it; <paramref name="applied"/> hears of each, with what stood there before (null for none).
    /// </summary>
    public void ApplyTo(Dictionary<string, SortedDictionary<string, JsonObject>> entities, Action<EntityDeltaItem, JsonObject?>? applied = null)
    {
        foreach (var change in Changes)
        {
            if (!entities.TryGetValue(change.Collection, out var collection))
            {
                entities[change.Collection] = collection = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            }
            collection.TryGetValue(change.Id, out var before);
            if (change.Entity is null)
            {
                collection.Remove(change.Id);
            }
            else
            {
                collection[change.Id] = change.Entity;
            }
            applied?.Invoke(change, before);
        }
    }
}

/// <summary>Reads a control plane's change log (issue #16): what changed after a revision, at one revision.</summary>
public interface IEntityChangeReader
{
    /// <summary>
    /// The entities changed after <paramref name="after"/>, all at one revision; null when the log
    /// cannot say (a commit it does not cover, or more than <paramref name="maxEntities"/> changed),
    /// and a full read is the answer.
    /// </summary>
    Task<EntityDelta?> ReadChangesAsync(Guid controlPlane, long after, int maxEntities, CancellationToken cancellationToken);

    /// <summary>
    /// Who made the commits after <paramref name="after"/> up to and including <paramref name="through"/>, as
    /// the change log names them, in the order they first made one (those whose rows are trimmed are not known).
    /// </summary>
    Task<IReadOnlyList<string>> ReadMakersAsync(Guid controlPlane, long after, long through, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes change log rows up to and including <paramref name="through"/>, at most
    /// <paramref name="limit"/> of them, oldest first; the number deleted. A reader that needed
    /// them reads the control plane whole instead.
    /// </summary>
    Task<int> TrimChangesAsync(Guid controlPlane, long through, int limit, CancellationToken cancellationToken);
}
