using System.Text.Json.Nodes;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Which snapshot a control plane's data planes should run: the revision it was composed from,
/// its hashes, and the store's concurrency token. It only ever moves forward.
/// </summary>
public sealed record SnapshotPointer(long Revision, ConfigHash Hashes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public string Hash => Hashes.Config;

    public string? Version { get; init; }
}

/// <summary>All entities of a control plane as they stood at one revision.</summary>
public sealed record EntitySnapshot(long Revision, bool Deleted, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities);

/// <summary>Reads a control plane's entities consistently: all of them at one revision.</summary>
public interface IEntityReader
{
    Task<EntitySnapshot> ReadAllAsync(Guid controlPlane, CancellationToken cancellationToken);
}

/// <summary>Content-addressed snapshots and the pointer to the current one.</summary>
public interface ISnapshotStore
{
    Task<SnapshotPointer?> GetPointerAsync(Guid controlPlane, CancellationToken cancellationToken);

    /// <summary>Stores the snapshot under its hash; storing the same hash again changes nothing.</summary>
    Task WriteSnapshotAsync(Guid controlPlane, string hash, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task<ReadOnlyMemory<byte>?> ReadSnapshotAsync(Guid controlPlane, string hash, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the pointer from <paramref name="current"/> (null: there is none yet) to <paramref name="next"/>,
    /// only if nobody moved it since it was read. False means someone did: read it again.
    /// </summary>
    Task<bool> TryAdvanceAsync(Guid controlPlane, SnapshotPointer? current, SnapshotPointer next, CancellationToken cancellationToken);
}

/// <summary>Asks for a control plane to be recomposed (at least once, eventually).</summary>
public interface IRecomposeQueue
{
    Task EnqueueAsync(Guid controlPlane, CancellationToken cancellationToken);
}
