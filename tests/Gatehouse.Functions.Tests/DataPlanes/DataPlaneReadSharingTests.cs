using Gatehouse.Azure.DataPlanes;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.DataPlanes;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// What the data plane API shares between the nodes that ask at once after a push: one pointer
/// read, one pin read, one snapshot load — and never past a write made through this process.
/// </summary>
public sealed class DataPlaneReadSharingTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SnapshotPointer Pointer(long revision) =>
        new(new SnapshotSource(revision), ConfigHash.Of("{\"_format_version\":\"3.0\"}"u8), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Nodes_asking_at_once_share_one_pointer_read_which_is_forgotten_when_the_pointer_moves_here_or_grows_old()
    {
        var clock = new ManualClock();
        var pointers = new RecentPointers(clock);
        var controlPlane = Guid.NewGuid();
        var reads = 0;
        var gate = new TaskCompletionSource();
        async Task<SnapshotPointer> Read()
        {
            var revision = Interlocked.Increment(ref reads);
            await gate.Task;
            return Pointer(revision);
        }

        var asking = Enumerable.Range(0, 50).Select(_ => pointers.GetAsync(controlPlane, Read, Ct)).ToList();
        gate.SetResult();
        Assert.All(await Task.WhenAll(asking), p => Assert.Equal(1, p.Revision));
        Assert.Equal(1, reads);

        pointers.Forget(controlPlane);
        Assert.Equal(2, (await pointers.GetAsync(controlPlane, Read, Ct)).Revision);
        Assert.Equal(2, (await pointers.GetAsync(controlPlane, Read, Ct)).Revision);

        clock.Now += RecentPointers.MaxAge;
        Assert.Equal(3, (await pointers.GetAsync(controlPlane, Read, Ct)).Revision);
    }

    [Fact]
    public async Task A_failed_pointer_read_is_not_kept()
    {
        var pointers = new RecentPointers(new ManualClock());
        var controlPlane = Guid.NewGuid();
        await Assert.ThrowsAsync<InvalidOperationException>(() => pointers.GetAsync(controlPlane, () => throw new InvalidOperationException("storage away"), Ct));
        Assert.Equal(7, (await pointers.GetAsync(controlPlane, () => Task.FromResult(Pointer(7)), Ct)).Revision);
    }

    [Fact]
    public async Task A_pin_is_read_again_only_after_a_while_but_a_removal_made_here_is_refused_from_the_next_request()
    {
        var clock = new ManualClock();
        var inner = new TableDpCertificateStore(storage.CreateTableServiceClient(), new StorageLayout(storage.UniqueName("p")));
        await inner.InitializeAsync(Ct);
        var pins = new RecentPins(inner, clock);
        var (first, second) = (Certificate(), Certificate());
        Assert.True(await pins.TryAddAsync(first, Ct));
        Assert.True(await inner.TryAddAsync(second, Ct));
        Assert.NotNull(await pins.FindByThumbprintAsync(first.Thumbprint, Ct));
        Assert.NotNull(await pins.FindByThumbprintAsync(second.Thumbprint, Ct));

        // Removed by another instance (straight in the store): still trusted here, for MaxAge at most.
        Assert.True(await inner.TryRemoveAsync((await inner.FindAsync(second.ControlPlaneId, second.Id, Ct))!, Ct));
        Assert.NotNull(await pins.FindByThumbprintAsync(second.Thumbprint, Ct));
        clock.Now += RecentPins.MaxAge;
        Assert.Null(await pins.FindByThumbprintAsync(second.Thumbprint, Ct));

        // Removed through this process: refused at once.
        Assert.NotNull(await pins.FindByThumbprintAsync(first.Thumbprint, Ct));
        Assert.True(await pins.TryRemoveAsync((await pins.FindAsync(first.ControlPlaneId, first.Id, Ct))!, Ct));
        Assert.Null(await pins.FindByThumbprintAsync(first.Thumbprint, Ct));
    }

    [Fact]
    public async Task A_snapshot_asked_for_by_many_nodes_at_once_is_loaded_and_compressed_once()
    {
        var account = StorageAccount.FromConnectionString(storage.ConnectionString);
        var layout = new StorageLayout(storage.UniqueName("e"));
        await account.Blobs.GetBlobContainerClient(layout.SnapshotsContainer).CreateIfNotExistsAsync(cancellationToken: Ct);
        var encodings = new SnapshotEncodings(new BlobEncodedSnapshotStore(account, layout));
        var document = new byte[200_000];
        Random.Shared.NextBytes(document);
        var loads = 0;
        async Task<ReadOnlyMemory<byte>> Content()
        {
            Interlocked.Increment(ref loads);
            await Task.Delay(50, Ct);
            return document;
        }

        var controlPlane = Guid.NewGuid();
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => encodings.GetAsync(controlPlane, "0123456789abcdef0123456789abcdef", SnapshotEncodings.Gzip, Content, Ct)));

        Assert.Equal(1, loads);
        using var gunzip = new System.IO.Compression.GZipStream(new MemoryStream(answers[0].ToArray()), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gunzip.CopyToAsync(plain, Ct);
        Assert.Equal(document, plain.ToArray());
        Assert.All(answers, a => Assert.True(a.Span.SequenceEqual(answers[0].Span)));
        // Kept beside the snapshot for the other instances.
        Assert.NotNull(await new BlobEncodedSnapshotStore(account, layout).ReadAsync(controlPlane, "0123456789abcdef0123456789abcdef", SnapshotEncodings.Gzip, Ct));
    }

    private static DpCertificate Certificate()
    {
        var pem = TestCertificates.Server($"CN=dp-{Guid.NewGuid():N}", elliptic: true).Certificate;
        var parsed = DpCertificatePem.Parse(pem, DateTimeOffset.UtcNow, out var error) ?? throw new InvalidOperationException(error);
        return DpCertificate.Of(Guid.NewGuid(), Guid.NewGuid(), pem, "", parsed, DateTimeOffset.UtcNow);
    }
}
