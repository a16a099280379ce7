using Azure.Data.Tables;
using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Azure.DataPlanes;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.DataPlanes;

/// <summary>The DP certificate store against Azurite: point reads by id and by thumbprint, and the index moving with the rows.</summary>
public sealed class DpClientCertStoreTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TableDpCertificateStore Store, StorageLayout Layout)> NewStoreAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("d"));
        var store = new TableDpCertificateStore(storage.CreateTableServiceClient(), layout);
        await store.InitializeAsync(Ct);
        return (store, layout);
    }

    private async Task<(TableControlPlaneStore Store, ControlPlane ControlPlane)> NewControlPlaneAsync(StorageLayout layout, string name)
    {
        var store = new TableControlPlaneStore(storage.CreateTableServiceClient(), layout);
        await store.InitializeAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        var controlPlane = new ControlPlane { Id = Guid.NewGuid(), Name = name, CreatedAt = now, UpdatedAt = now };
        Assert.True(await store.TryAddAsync(controlPlane, Ct));
        return (store, controlPlane);
    }

    private static DpCertificate NewCertificate(Guid controlPlaneId, string title = "")
    {
        var pem = TestCertificates.Server($"CN=dp-{Guid.NewGuid():N}", elliptic: true).Certificate;
        var parsed = DpCertificatePem.Parse(pem, DateTimeOffset.UtcNow, out var error) ?? throw new InvalidOperationException(error);
        return DpCertificate.Of(controlPlaneId, Guid.NewGuid(), pem, title, parsed, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_added_certificate_reads_back_whole_by_id_by_thumbprint_and_in_its_control_planes_list_only()
    {
        var (store, _) = await NewStoreAsync();
        var (cp, other) = (Guid.NewGuid(), Guid.NewGuid());
        var first = NewCertificate(cp, "first");
        var second = NewCertificate(cp) with { CreatedAt = first.CreatedAt.AddSeconds(1) };
        var elsewhere = NewCertificate(other);
        foreach (var certificate in new[] { second, first, elsewhere })
        {
            Assert.True(await store.TryAddAsync(certificate, Ct));
        }

        var read = await store.FindAsync(cp, first.Id, Ct);
        Assert.NotNull(read);
        Assert.Equal(first with { Version = read.Version }, read);
        Assert.Null(await store.FindAsync(other, first.Id, Ct));
        Assert.Equal(new DpCertificatePin(cp, first.Id, first.NotAfter), await store.FindByThumbprintAsync(first.Thumbprint, Ct));
        Assert.Equal(first.Id, (await store.FindByThumbprintAsync(first.Thumbprint.ToUpperInvariant(), Ct))?.CertificateId);
        Assert.Equal([first.Id, second.Id], (await store.ListAsync(cp, Ct)).Select(c => c.Id));
        Assert.Equal([elsewhere.Id], (await store.ListAsync(other, Ct)).Select(c => c.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("sha256:abc")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("'/#?%")]
    public async Task Anything_that_is_not_a_pinned_thumbprint_finds_nothing(string thumbprint)
    {
        var (store, _) = await NewStoreAsync();
        Assert.True(await store.TryAddAsync(NewCertificate(Guid.NewGuid()), Ct));
        Assert.Null(await store.FindByThumbprintAsync(thumbprint, Ct));
    }

    [Fact]
    public async Task A_thumbprint_is_pinned_once_in_the_whole_installation()
    {
        var (store, _) = await NewStoreAsync();
        var original = NewCertificate(Guid.NewGuid());
        Assert.True(await store.TryAddAsync(original, Ct));

        var again = original with { Id = Guid.NewGuid() };
        var elsewhere = original with { Id = Guid.NewGuid(), ControlPlaneId = Guid.NewGuid() };
        Assert.False(await store.TryAddAsync(again, Ct));
        Assert.False(await store.TryAddAsync(elsewhere, Ct));

        Assert.Null(await store.FindAsync(again.ControlPlaneId, again.Id, Ct));
        Assert.Empty(await store.ListAsync(elsewhere.ControlPlaneId, Ct));
        Assert.Equal(original.Id, (await store.FindByThumbprintAsync(original.Thumbprint, Ct))?.CertificateId);
    }

    [Fact]
    public async Task A_removed_certificate_is_not_found_by_thumbprint_at_once_and_a_stale_remove_refuses()
    {
        var (store, _) = await NewStoreAsync();
        var certificate = NewCertificate(Guid.NewGuid());
        await store.TryAddAsync(certificate, Ct);
        var read = (await store.FindAsync(certificate.ControlPlaneId, certificate.Id, Ct))!;
        Assert.Equal(DpCertificateReplaceOutcome.Replaced, await store.TryReplaceAsync(read, read with { Title = "renamed" }, Ct));

        Assert.False(await store.TryRemoveAsync(read, Ct));
        Assert.NotNull(await store.FindByThumbprintAsync(certificate.Thumbprint, Ct));

        Assert.True(await store.TryRemoveAsync((await store.FindAsync(certificate.ControlPlaneId, certificate.Id, Ct))!, Ct));
        Assert.Null(await store.FindByThumbprintAsync(certificate.Thumbprint, Ct));
        Assert.Null(await store.FindAsync(certificate.ControlPlaneId, certificate.Id, Ct));
        Assert.True(await store.TryAddAsync(certificate with { Id = Guid.NewGuid() }, Ct));
    }

    [Fact]
    public async Task Replacing_the_certificate_moves_its_thumbprint_and_refuses_one_pinned_elsewhere()
    {
        var (store, _) = await NewStoreAsync();
        var cp = Guid.NewGuid();
        var certificate = NewCertificate(cp);
        var neighbour = NewCertificate(cp);
        await store.TryAddAsync(certificate, Ct);
        await store.TryAddAsync(neighbour, Ct);
        var read = (await store.FindAsync(cp, certificate.Id, Ct))!;
        var fresh = NewCertificate(cp);
        var replacement = read with { Cert = fresh.Cert, Thumbprint = fresh.Thumbprint, NotAfter = fresh.NotAfter };

        Assert.Equal(DpCertificateReplaceOutcome.Replaced, await store.TryReplaceAsync(read, replacement, Ct));
        Assert.Null(await store.FindByThumbprintAsync(certificate.Thumbprint, Ct));
        Assert.Equal(certificate.Id, (await store.FindByThumbprintAsync(fresh.Thumbprint, Ct))?.CertificateId);
        Assert.Equal(DpCertificateReplaceOutcome.Stale, await store.TryReplaceAsync(read, replacement with { Title = "late" }, Ct));

        var current = (await store.FindAsync(cp, certificate.Id, Ct))!;
        var taken = current with { Cert = neighbour.Cert, Thumbprint = neighbour.Thumbprint };
        Assert.Equal(DpCertificateReplaceOutcome.ThumbprintTaken, await store.TryReplaceAsync(current, taken, Ct));
        Assert.Equal(fresh.Cert, (await store.FindAsync(cp, certificate.Id, Ct))!.Cert);
        Assert.Equal(neighbour.Id, (await store.FindByThumbprintAsync(neighbour.Thumbprint, Ct))?.CertificateId);
    }

    [Fact]
    public async Task Remove_all_unpins_every_certificate_of_one_control_plane_across_transactions_and_no_other()
    {
        var (store, _) = await NewStoreAsync();
        var (cp, neighbour) = (Guid.NewGuid(), Guid.NewGuid());
        var doomed = Enumerable.Range(0, 53).Select(_ => NewCertificate(cp)).ToList();
        foreach (var certificate in doomed)
        {
            await store.TryAddAsync(certificate, Ct);
        }
        var kept = NewCertificate(neighbour);
        await store.TryAddAsync(kept, Ct);

        Assert.Equal(53, await store.RemoveAllAsync(cp, Ct));

        Assert.Empty(await store.ListAsync(cp, Ct));
        foreach (var certificate in doomed)
        {
            Assert.Null(await store.FindByThumbprintAsync(certificate.Thumbprint, Ct));
        }
        Assert.Equal(kept.Id, (await store.FindByThumbprintAsync(kept.Thumbprint, Ct))?.CertificateId);
        Assert.Equal(0, await store.RemoveAllAsync(cp, Ct));
    }

    [Fact]
    public async Task Deleting_a_control_plane_unpins_its_certificates_even_when_the_deletion_is_finished_later()
    {
        var (certificates, layout) = await NewStoreAsync();
        var (controlPlanes, cp) = await NewControlPlaneAsync(layout, "doomed");
        var pinned = NewCertificate(cp.Id);
        await certificates.TryAddAsync(pinned, Ct);

        Assert.True(await controlPlanes.TryRemoveAsync((await controlPlanes.FindAsync(cp.Id, Ct))!, Ct));
        Assert.Null(await certificates.FindByThumbprintAsync(pinned.Thumbprint, Ct));
        Assert.Empty(await certificates.ListAsync(cp.Id, Ct));

        // What a process that died right after the deletion's first transaction leaves behind.
        var orphan = Guid.NewGuid();
        var left = NewCertificate(orphan);
        await certificates.TryAddAsync(left, Ct);
        await storage.CreateTableServiceClient().GetTableClient(layout.ControlPlanesTable).AddEntityAsync(new TableEntity("cp", $"deleting:{orphan}"), Ct);

        Assert.Equal(1, await controlPlanes.CompletePendingDeletionsAsync(Ct));
        Assert.Null(await certificates.FindByThumbprintAsync(left.Thumbprint, Ct));
    }

    [Fact]
    public async Task A_pin_that_races_its_control_planes_deletion_is_taken_back_so_no_pin_outlives_it()
    {
        var (certificates, layout) = await NewStoreAsync();
        var (controlPlanes, cp) = await NewControlPlaneAsync(layout, "racing");
        // The deletion (row removed, certificates purged) runs right after the service saw the control plane.
        var racing = new DeletedAfterFirstRead(controlPlanes);
        var service = new DpCertificateService(racing, certificates, new SelfSignedCertificateIssuer(TimeProvider.System), new DpCertificateOptions(), TimeProvider.System);
        var pem = NewCertificate(cp.Id).Cert;

        await Assert.ThrowsAsync<NotFoundException>(() => service.PinAsync(cp.Id, new DpCertificateUpload(pem, null), Ct));

        Assert.True(racing.Deleted);
        Assert.Empty(await certificates.ListAsync(cp.Id, Ct));
        Assert.Null(await certificates.FindByThumbprintAsync(DpCertificatePem.Parse(pem, DateTimeOffset.UtcNow, out _)!.Thumbprint, Ct));
    }

    /// <summary>The real control plane store, which deletes the control plane just after its first read.</summary>
    private sealed class DeletedAfterFirstRead(TableControlPlaneStore inner) : IControlPlaneStore
    {
        public bool Deleted { get; private set; }

        public async Task<ControlPlane?> FindAsync(Guid id, CancellationToken cancellationToken)
        {
            var found = await inner.FindAsync(id, cancellationToken);
            if (found is not null && !Deleted)
            {
                Deleted = await inner.TryRemoveAsync(found, cancellationToken);
            }
            return found;
        }

        public Task<ControlPlane?> FindByNameAsync(string name, CancellationToken cancellationToken) => inner.FindByNameAsync(name, cancellationToken);

        public Task<IReadOnlyList<ControlPlane>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public Task<bool> TryAddAsync(ControlPlane controlPlane, CancellationToken cancellationToken) => inner.TryAddAsync(controlPlane, cancellationToken);

        public Task<ReplaceOutcome> TryReplaceAsync(ControlPlane current, ControlPlane updated, CancellationToken cancellationToken) =>
            inner.TryReplaceAsync(current, updated, cancellationToken);

        public Task<bool> TryRemoveAsync(ControlPlane current, CancellationToken cancellationToken) => inner.TryRemoveAsync(current, cancellationToken);

        public Task<int> CompletePendingDeletionsAsync(CancellationToken cancellationToken) => inner.CompletePendingDeletionsAsync(cancellationToken);
    }
}
