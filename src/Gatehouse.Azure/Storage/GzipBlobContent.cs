using System.IO.Compression;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// Snapshot blobs read whether stored as plain JSON or gzipped. Gatehouse still writes them plain;
/// this reader ships first so that, when a later release writes them gzipped (a 29-MB group
/// snapshot is about a sixth of that, and on Azurite its write spent a fifth of the CPU), no instance
/// still running this one during the upgrade serves gzip bytes as JSON. Told apart by the first two
/// bytes, gzip's magic, which JSON never starts with; not by a header, which a copy may lose.
/// </summary>
internal static class GzipBlobContent
{
    /// <summary>The JSON, from <paramref name="stored"/> as it is, or inflated when it is gzip.</summary>
    public static ReadOnlyMemory<byte> Read(ReadOnlyMemory<byte> stored)
    {
        if (stored.Length < 2 || stored.Span[0] != 0x1f || stored.Span[1] != 0x8b)
        {
            return stored;
        }
        using var input = new MemoryStream(stored.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        // JSON compresses about sixfold; starting near that saves the buffer's doublings.
        using var output = new MemoryStream(stored.Length * 6);
        gzip.CopyTo(output);
        return output.GetBuffer().AsMemory(0, (int)output.Length);
    }
}
