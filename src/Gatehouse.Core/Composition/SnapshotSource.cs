namespace Gatehouse.Core.Composition;

/// <summary>
/// What a snapshot is composed from. For a standard control plane, the revision its entities stood
/// at; for a group, the memberships' sequence (<see cref="Revision"/>) and each member's revision
/// (<see cref="Members"/>), since a group's entities are its members'. Two sources are equal when
/// they name exactly the same state: a snapshot of one is a snapshot of the other.
/// </summary>
/// <param name="Revision">The entities' revision; for a group, the memberships' sequence.</param>
/// <param name="Members">For a group, each member's revision; null for a standard control plane.</param>
public sealed record SnapshotSource(long Revision, IReadOnlyDictionary<Guid, long>? Members = null)
{
    /// <summary>
    /// Whether this is newer than <paramref name="current"/> (null: nothing was composed yet), so a
    /// pointer may move from a snapshot of that to one of this: a later revision; for a group, a
    /// membership at least as new, no member older, and something changed.
    /// </summary>
    public bool Follows(SnapshotSource? current)
    {
        if (current is null)
        {
            return true;
        }
        if (Members is null || current.Members is null)
        {
            return Revision > current.Revision;
        }
        return Revision >= current.Revision
            && current.Members.All(m => !Members.TryGetValue(m.Key, out var revision) || revision >= m.Value)
            && !Equals(current);
    }

    /// <summary>The same revision and, for a group, the same member revisions (no members and none recorded are alike).</summary>
    public bool Equals(SnapshotSource? other) =>
        other is not null
        && Revision == other.Revision
        && (Members?.Count ?? 0) == (other.Members?.Count ?? 0)
        && (Members ?? new Dictionary<Guid, long>()).All(m => other.Members?.TryGetValue(m.Key, out var revision) == true && revision == m.Value);

    public override int GetHashCode() => HashCode.Combine(Revision, Members?.Count ?? 0);
}
