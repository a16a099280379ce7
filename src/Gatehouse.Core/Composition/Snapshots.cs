using System.Text.Json.Nodes;
using Gatehouse.Core.Versions;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Which snapshot a control plane's data planes should run: what it was composed from, its
/// hashes, and the store's concurrency token. It only ever moves forward (<see cref="SnapshotSource.Follows"/>).
/// </summary>
public sealed record SnapshotPointer(SnapshotSource Source, ConfigHash Hashes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The entities' revision; for a group, the memberships' sequence.</summary>
    public long Revision => Source.Revision;

    public string Hash => Hashes.Config;

    public string? Version { get; init; }

    /// <summary>How many times the pointer has moved: the number of the version record its last move wrote (0 before any was kept).</summary>
    public long VersionNumber { get; init; }

    /// <summary>
    /// The names of the plugins the snapshot uses (<see cref="DataPlanes.ConfiguredPlugins.NamesIn"/>), recorded
    /// when it was composed so that judging a data plane against it needs no download. Null when
    /// they were not recorded (a pointer older than the record, or too many names for it): read
    /// them from the snapshot.
    /// </summary>
    public IReadOnlyList<string>? Plugins { get; init; }
}

/// <summary>Whether a group's members compose cleanly, and if not, every conflict: Konnect's group-status.</summary>
public sealed record GroupStatus(string State, IReadOnlyList<GroupConflict> Conflicts, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const string Ok = "OK";
    public const string Conflict = "CONFLICT";
    public const string Unknown = "UNKNOWN";
}

/// <summary>All entities of a control plane as they stood at one revision.</summary>
public sealed record EntitySnapshot(long Revision, bool Deleted, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities)
{
    /// <summary>An import was half applied at this revision: these entities are not a configuration to serve.</summary>
    public bool Importing { get; init; }

    /// <summary>What changed since the reader's previous read of the control plane, when it knows (it brought that read forward).</summary>
    public EntityChangesSince? Since { get; init; }

    /// <summary>
    /// The object that keeps these entity objects in memory, when something does (the recomposer's
    /// reader's entry for the control plane): what is kept beside the entities, such as their last
    /// rendered document, is kept with it and so goes when they are evicted.
    /// </summary>
    public object? Holder { get; init; }
}

/// <summary>
/// How the entities of a read differ from those at <paramref name="Revision"/>: per collection, how
/// many were added, changed (their body, timestamps aside) and removed, and who made the commits.
/// </summary>
public sealed record EntityChangesSince(long Revision, IReadOnlyDictionary<string, EntityChangeCounts> Counts, IReadOnlyList<string> MadeBy);

/// <summary>Reads a control plane's entities consistently: all of them at one revision.</summary>
public interface IEntityReader
{
    Task<EntitySnapshot> ReadAllAsync(Guid controlPlane, CancellationToken cancellationToken);
}

/// <summary>Content-addressed snapshots, the pointer to the current one, and groups' status.</summary>
public interface ISnapshotStore
{
    Task<GroupStatus?> GetGroupStatusAsync(Guid group, CancellationToken cancellationToken);

    Task SetGroupStatusAsync(Guid group, GroupStatus status, CancellationToken cancellationToken);

    Task<SnapshotPointer?> GetPointerAsync(Guid controlPlane, CancellationToken cancellationToken);

    /// <summary>Stores the snapshot under its hash; storing the same hash again changes nothing.</summary>
    Task WriteSnapshotAsync(Guid controlPlane, string hash, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task<ReadOnlyMemory<byte>?> ReadSnapshotAsync(Guid controlPlane, string hash, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the pointer from <paramref name="current"/> (null: there is none yet) to <paramref name="next"/>,
    /// only if nobody moved it since it was read, and in the same atomic write records the move as
    /// the next <see cref="ConfigVersion"/>, with <paramref name="note"/>'s principal and counts.
    /// False means someone moved it: read it again. Refuses (<see cref="ArgumentException"/>) a
    /// <paramref name="next"/> that does not follow <paramref name="current"/>.
    /// </summary>
    Task<bool> TryAdvanceAsync(Guid controlPlane, SnapshotPointer? current, SnapshotPointer next, VersionNote note, CancellationToken cancellationToken);

    /// <summary>
    /// Notes with the group that its member stands at <paramref name="revision"/>: how the group's
    /// recomposition learns which members moved from one read, not one read per member. With
    /// <paramref name="replace"/> false the note is only made where there is none, so a reader's
    /// note never overwrites a newer one its member's recomposition made meanwhile.
    /// </summary>
    Task NoteMemberRevisionAsync(Guid group, Guid member, long revision, bool replace, CancellationToken cancellationToken);

    /// <summary>The member revisions noted with the group (<see cref="NoteMemberRevisionAsync"/>), of members past and present.</summary>
    Task<IReadOnlyDictionary<Guid, long>> ReadMemberRevisionsAsync(Guid group, CancellationToken cancellationToken);
}

public static class SnapshotStoreMoves
{
    /// <summary>A move whose counts are not known (a test's): recorded all the same, with none.</summary>
    public static Task<bool> TryAdvanceAsync(
        this ISnapshotStore store, Guid controlPlane, SnapshotPointer? current, SnapshotPointer next, CancellationToken cancellationToken) =>
        store.TryAdvanceAsync(controlPlane, current, next, VersionNote.Unknown, cancellationToken);
}

/// <summary>Asks for a control plane to be recomposed (at least once, eventually).</summary>
public interface IRecomposeQueue
{
    Task EnqueueAsync(Guid controlPlane, CancellationToken cancellationToken);
}
