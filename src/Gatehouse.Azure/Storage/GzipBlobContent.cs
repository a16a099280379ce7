using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// Snapshot blobs, written gzipped (<see cref="Composition.ChunkedSnapshotGzip"/>) and read whether
/// stored gzipped or as plain JSON (as releases
/// before this one wrote them, and as a blob copied by hand may be). A 29-MB group snapshot is
/// about a sixth of that gzipped, and its upload was most of what a group write waited for.
/// Told apart by the first two bytes, gzip's magic, which JSON never starts with; not by the
/// blob's Content-Encoding, which a copy may lose.
/// </summary>
internal static class GzipBlobContent
{
    /// <summary>What a snapshot blob's <c>Content-Encoding</c> says, for tools that read the blob itself.</summary>
    public const string Encoding = "gzip";

    /// <summary>The JSON, from <paramref name="stored"/> as it is, or inflated when it is gzip.</summary>
    public static ReadOnlyMemory<byte> Read(ReadOnlyMemory<byte> stored)
    {
        if (stored.Length < 2 || stored.Span[0] != 0x1f || stored.Span[1] != 0x8b)
        {
            return stored;
        }
        using var input = MemoryMarshal.TryGetArray(stored, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(stored.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(stored.Length * 6);
        gzip.CopyTo(output);
        return output.GetBuffer().AsMemory(0, (int)output.Length);
    }
}
