using System.IO.Compression;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Precompressed snapshots, not response compression middleware: a snapshot may be tens of MB
/// and every data plane downloads the same bytes, so each snapshot is compressed once per
/// encoding (on the first request that wants it) and kept as a blob beside the snapshot, where
/// every instance finds it. Brotli is preferred when the client takes both, since it is smaller;
/// its quality is moderate because the first download waits for the compression.
/// </summary>
internal sealed class SnapshotEncodings(IEncodedSnapshotStore store)
{
    public const string Gzip = "gzip";
    public const string Brotli = "br";
    private const int BrotliQuality = 6;

    /// <summary>The encoding to answer with, by <c>Accept-Encoding</c>: br, gzip, or null for none.</summary>
    public static string? Choose(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        // An encoding is taken when named, or covered by *, with a quality above zero (q=1 when not given).
        bool Takes(string coding) =>
            (accepted.FirstOrDefault(a => a.Value.Equals(coding, StringComparison.OrdinalIgnoreCase))
             ?? accepted.FirstOrDefault(a => a.Value.Equals("*", StringComparison.Ordinal))) is { } entry
            && (entry.Quality ?? 1) > 0;
        return Takes(Brotli) ? Brotli : Takes(Gzip) ? Gzip : null;
    }

    public async Task<ReadOnlyMemory<byte>> GetAsync(
        Guid controlPlane, string hash, string encoding, Func<Task<ReadOnlyMemory<byte>>> content, CancellationToken ct)
    {
        if (await store.ReadAsync(controlPlane, hash, encoding, ct) is { } stored)
        {
            return stored;
        }
        var compressed = Compress(await content(), encoding);
        await store.WriteAsync(controlPlane, hash, encoding, compressed, ct);
        return compressed;
    }

    internal static byte[] Compress(ReadOnlyMemory<byte> content, string encoding)
    {
        using var output = new MemoryStream(content.Length / 4 + 64);
        using (Stream compressor = encoding == Brotli
            ? new BrotliStream(output, new BrotliCompressionOptions { Quality = BrotliQuality }, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(content.Span);
        }
        return output.ToArray();
    }
}
