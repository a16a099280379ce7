using System.Text.Json.Nodes;

namespace Gatehouse.Core.Composition;

/// <summary>One entity a commit put (with its body as it now stands) or deleted (<see cref="Entity"/> null).</summary>
public sealed record EntityDeltaItem(string Collection, string Id, JsonObject? Entity);

/// <summary>
/// What changed in a control plane after a revision: each entity put or deleted since, once,
/// as it stands at <see cref="Revision"/>.
/// </summary>
public sealed record EntityDelta(long Revision, bool Deleted, bool Importing, IReadOnlyList<EntityDeltaItem> Changes);

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
    /// Deletes change log rows up to and including <paramref name="through"/>, at most
    /// <paramref name="limit"/> of them, oldest first; the number deleted. A reader that needed
    /// them reads the control plane whole instead.
    /// </summary>
    Task<int> TrimChangesAsync(Guid controlPlane, long through, int limit, CancellationToken cancellationToken);
}
