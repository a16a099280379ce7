namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// Snapshots compressed once and kept beside the original (they are content-addressed, so a
/// compressed copy never goes stale): data planes then download tens of MB as a blob read, not a
/// compression per request.
/// </summary>
public interface IEncodedSnapshotStore
{
    /// <summary>The snapshot compressed with <paramref name="encoding"/> (<c>gzip</c> or <c>br</c>), or null when not stored yet.</summary>
    Task<ReadOnlyMemory<byte>?> ReadAsync(Guid controlPlane, string hash, string encoding, CancellationToken cancellationToken);

    /// <summary>Stores it; storing it again changes nothing.</summary>
    Task WriteAsync(Guid controlPlane, string hash, string encoding, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
