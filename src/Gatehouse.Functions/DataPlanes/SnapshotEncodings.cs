using System.Collections.Concurrent;
using System.IO.Compression;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Precompressed snapshots, not response compression middleware: a snapshot may be tens of MB
/// and every data plane downloads the same bytes, so each snapshot is compressed once per
/// encoding (on the first request that wants it) and kept as a blob beside the snapshot, where
/// every instance finds it. Brotli is preferred when the client takes both: at its fastest quality
/// it is as small as gzip's best and takes a third of the time (<see cref="BrotliQuality"/>).
/// Encoded snapshots are also kept in memory, one load per hash and encoding however many nodes
/// ask at once: after a push every node of a control plane asks for the same bytes within
/// milliseconds, and content-addressed bytes never go stale.
/// </summary>
internal sealed class SnapshotEncodings(IEncodedSnapshotStore store)
{
    public const string Gzip = "gzip";
    public const string Brotli = "br";
    /// <summary>
    /// Brotli's fastest quality but one: the first download after every push waits for it. On a
    /// 29-MB group snapshot (the <c>compose</c> benchmark) quality 1 took about 0.1 s for 4.1 MB,
    /// quality 4 about 0.4 s for 3.8 MB, and quality 6, used before, 1.2–1.5 s for 3.9 MB, longer
    /// than the whole write → snapshot target of issue #16; quality 0 is as fast and a quarter larger.
    /// </summary>
    internal const int BrotliQuality = 1;
    private const long MaxCachedBytes = 256L * 1024 * 1024;

    private readonly ConcurrentDictionary<(Guid, string, string), Lazy<Task<ReadOnlyMemory<byte>>>> _loaded = new();
    private long _cachedBytes;

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
        var key = (controlPlane, hash, encoding);
        for (var attempt = 1; ; attempt++)
        {
            // The load is shared, so it must not end with the request that happened to start it.
            var load = _loaded.GetOrAdd(key, _ => new Lazy<Task<ReadOnlyMemory<byte>>>(
                () => LoadAsync(controlPlane, hash, encoding, content), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return await load.Value.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested && load.Value.IsFaulted)
            {
                _loaded.TryRemove(KeyValuePair.Create(key, load));
                if (attempt == 2)
                {
                    throw;
                }
            }
        }
    }

    private async Task<ReadOnlyMemory<byte>> LoadAsync(Guid controlPlane, string hash, string encoding, Func<Task<ReadOnlyMemory<byte>>> content)
    {
        if (await store.ReadAsync(controlPlane, hash, encoding, CancellationToken.None) is not { } encoded)
        {
            encoded = Compress(await content(), encoding);
            await store.WriteAsync(controlPlane, hash, encoding, encoded, CancellationToken.None);
        }
        if (Interlocked.Add(ref _cachedBytes, encoded.Length) > MaxCachedBytes)
        {
            // Old hashes are not asked for again once nodes moved on: forgetting all is simpler than tracking use.
            _loaded.Clear();
            Interlocked.Exchange(ref _cachedBytes, encoded.Length);
        }
        return encoded;
    }

    /// <summary>The content compressed with <paramref name="encoding"/>; another brotli quality only for the benchmark's comparison.</summary>
    internal static byte[] Compress(ReadOnlyMemory<byte> content, string encoding, int brotliQuality = BrotliQuality)
    {
        using var output = new MemoryStream(content.Length / 4 + 64);
        using (Stream compressor = encoding == Brotli
            ? new BrotliStream(output, new BrotliCompressionOptions { Quality = brotliQuality }, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(content.Span);
        }
        return output.ToArray();
    }
}
