namespace Gatehouse.Core.Versions;

/// <summary>How many entities of one type a version added, changed and removed against the one before it.</summary>
public sealed record EntityChangeCounts(int Added, int Changed, int Removed);

/// <summary>
/// One move of a control plane's snapshot pointer: which snapshot it moved to, what it was composed
/// from, when, on whose behalf, and how the entities differ from the version before. Written in the
/// same transaction as the move, so there is never one without the other.
/// </summary>
/// <param name="Number">The move's sequence number within the control plane, 1 for the first: newest first is highest first.</param>
/// <param name="Hash">The snapshot's config hash.</param>
/// <param name="Revision">The entities' revision (a group's: its memberships' sequence).</param>
/// <param name="CreatedAt">When the pointer moved.</param>
/// <param name="Principal">
/// Who made the changes since the version before, as the audit log names them (several, comma-separated);
/// null when no request's commit says (a group's version, one a process finished for a stopped
/// import, or a snapshot composed before commits named their maker).
/// </param>
/// <param name="Changes">Per entity type (collection name), the counts; types with no change are left out.</param>
public sealed record ConfigVersion(
    long Number, string Hash, long Revision, DateTimeOffset CreatedAt, string? Principal, IReadOnlyDictionary<string, EntityChangeCounts> Changes);

/// <summary>What the recomposer knows about a move that the pointer does not say: who, and the counts.</summary>
public sealed record VersionNote(string? Principal, IReadOnlyDictionary<string, EntityChangeCounts> Changes)
{
    /// <summary>Versions recorded before commits named their maker say this.</summary>
    public const string Admin = "admin";

    // More makers than this are summed up: the record names who, it is not the audit log.
    private const int MaxNamed = 5;

    /// <summary>A move with nothing known (a test's, or a first snapshot of nothing).</summary>
    public static VersionNote Unknown { get; } = new(null, new Dictionary<string, EntityChangeCounts>());

    /// <summary>The makers of the changes a version holds, in the order they first made one; null when none is known.</summary>
    public static string? PrincipalOf(IReadOnlyCollection<string> makers) => makers.Count switch
    {
        0 => null,
        <= MaxNamed => string.Join(", ", makers),
        _ => string.Join(", ", makers.Take(MaxNamed)) + $" and {makers.Count - MaxNamed} more",
    };
}

/// <summary>A control plane's version records, newest first, and their removal by retention.</summary>
public interface IConfigVersionStore
{
    /// <summary>Up to <paramref name="size"/> versions numbered below <paramref name="before"/> (null: from the newest), newest first, and whether more follow.</summary>
    Task<(IReadOnlyList<ConfigVersion> Page, bool More)> ListVersionsAsync(Guid controlPlane, int size, long? before, CancellationToken cancellationToken);

    /// <summary>Deletes these version records (those already gone are skipped).</summary>
    Task DeleteVersionsAsync(Guid controlPlane, IReadOnlyCollection<long> numbers, CancellationToken cancellationToken);

    /// <summary>The hashes of the snapshots stored for the control plane, each with when it was last written or touched.</summary>
    Task<IReadOnlyList<StoredSnapshot>> ListSnapshotsAsync(Guid controlPlane, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a snapshot and its compressed copies, only if it was not written or touched since
    /// <paramref name="stored"/> was listed (a recomposition that reuses it touches it first). False when it was.
    /// </summary>
    Task<bool> DeleteSnapshotAsync(Guid controlPlane, StoredSnapshot stored, CancellationToken cancellationToken);
}

/// <summary>A snapshot blob as listed: its hash, when it was last written or touched, and the store's token for that state.</summary>
public sealed record StoredSnapshot(string Hash, DateTimeOffset LastModified, string Version);
