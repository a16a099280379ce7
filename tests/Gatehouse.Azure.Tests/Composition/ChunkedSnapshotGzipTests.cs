using System.IO.Compression;
using System.Text;
using Gatehouse.Azure.Composition;

namespace Gatehouse.Azure.Tests.Composition;

/// <summary>
/// A snapshot is gzipped as one member per chunk, and the next snapshot of the same control plane
/// compresses only the chunks that changed. Whatever is reused, the blob must inflate to exactly
/// the snapshot's bytes with any gzip reader.
/// </summary>
public sealed class ChunkedSnapshotGzipTests
{
    private const long Budget = AzureSnapshotStore.KeptGzipBytes;

    /// <summary>A declarative config of <paramref name="services"/> services much as the renderer writes it (about 190 bytes each).</summary>
    private static byte[] Config(int services, Func<int, string>? host = null) => Encoding.UTF8.GetBytes(
        "{\"_format_version\":\"3.0\",\"services\":[" + string.Join(",", Enumerable.Range(0, services).Select(i =>
            $$"""{"id":"{{new Guid(i, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8)}}","name":"svc-{{i}}","host":"{{host?.Invoke(i) ?? $"backend-{i % 97}.internal"}}","port":8443,"protocol":"https","retries":5}""")) + "]}");

    private static byte[] Inflate(byte[] gzip)
    {
        using var reader = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        reader.CopyTo(inflated);
        return inflated.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(20_000)]
    public void A_snapshot_inflates_to_its_own_bytes(int services)
    {
        var json = Config(services);
        var gzip = new ChunkedSnapshotGzip(Budget).Write(Guid.NewGuid(), json);
        Assert.Equal(json, Inflate(gzip));
    }

    [Fact]
    public void Bytes_without_an_element_boundary_are_cut_at_the_largest_chunk()
    {
        var json = new byte[ChunkedSnapshotGzip.MaxChunk * 2 + 5];
        Random.Shared.NextBytes(json);
        json.AsSpan().Replace((byte)'}', (byte)' ');

        Assert.Equal([(0, ChunkedSnapshotGzip.MaxChunk), (ChunkedSnapshotGzip.MaxChunk, ChunkedSnapshotGzip.MaxChunk), (ChunkedSnapshotGzip.MaxChunk * 2, 5)],
            ChunkedSnapshotGzip.Chunks(json));
        Assert.Equal(json, Inflate(new ChunkedSnapshotGzip(Budget).Write(Guid.NewGuid(), json)));
    }

    [Fact]
    public void Chunks_cover_the_document_in_order_and_are_cut_between_elements_within_their_bounds()
    {
        var json = Config(20_000);
        var chunks = ChunkedSnapshotGzip.Chunks(json);

        Assert.InRange(chunks.Count, 10, json.Length / ChunkedSnapshotGzip.MinChunk);
        Assert.Equal(0, chunks[0].Start);
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.Equal(chunks[i - 1].Start + chunks[i - 1].Length, chunks[i].Start);
            Assert.Equal("},{", Encoding.ASCII.GetString(json, chunks[i].Start - 2, 3));
            Assert.InRange(chunks[i - 1].Length, ChunkedSnapshotGzip.MinChunk, ChunkedSnapshotGzip.MaxChunk);
        }
        Assert.Equal(json.Length, chunks[^1].Start + chunks[^1].Length);
    }

    [Fact]
    public void The_next_snapshot_of_a_control_plane_compresses_only_the_chunks_an_edit_touched()
    {
        var gzip = new ChunkedSnapshotGzip(Budget);
        var cp = Guid.NewGuid();
        var before = Config(20_000);
        gzip.Write(cp, before);
        var chunks = ChunkedSnapshotGzip.Chunks(before).Count;
        Assert.Equal((chunks, 0L), (gzip.ChunksCompressed, gzip.ChunksReused));

        // One service's host grows in the middle: every later byte moves, yet only its chunk is new.
        var grown = Config(20_000, i => i == 10_000 ? "a-much-longer-backend-name.internal" : $"backend-{i % 97}.internal");
        Assert.Equal(grown, Inflate(gzip.Write(cp, grown)));
        Assert.Equal(chunks + 1, gzip.ChunksCompressed);

        // Same length, other bytes: a chunk is known by its bytes, not its length and place.
        var swapped = (byte[])grown.Clone();
        var at = Encoding.UTF8.GetString(grown).IndexOf("a-much-longer-backend-name.internal", StringComparison.Ordinal);
        Encoding.UTF8.GetBytes("a-much-longer-backend-name.externa").CopyTo(swapped, at);
        Assert.Equal(grown.Length, swapped.Length);
        Assert.Equal(swapped, Inflate(gzip.Write(cp, swapped)));
        Assert.Equal(chunks + 2, gzip.ChunksCompressed);
    }

    [Fact]
    public void Nothing_is_kept_past_the_budget_nor_for_another_control_plane()
    {
        var json = Config(5_000);
        var chunks = ChunkedSnapshotGzip.Chunks(json).Count;
        Assert.True(chunks > 1);

        var small = new ChunkedSnapshotGzip(maxBytes: 1024);
        var cp = Guid.NewGuid();
        small.Write(cp, json);
        small.Write(cp, json);
        Assert.Equal((2L * chunks, 0L), (small.ChunksCompressed, small.ChunksReused));

        var ample = new ChunkedSnapshotGzip(Budget);
        ample.Write(cp, json);
        ample.Write(Guid.NewGuid(), json);
        ample.Write(cp, json);
        Assert.Equal((2L * chunks, (long)chunks), (ample.ChunksCompressed, ample.ChunksReused));
    }
}
