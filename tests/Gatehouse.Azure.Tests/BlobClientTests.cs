using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// The Blob behaviours the snapshot stores rely on, through the official client as
/// <see cref="StorageAccount"/> configures it: create-only writes, ETag conditions, 304s.
/// </summary>
public sealed class BlobClientTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = storage.CreateBlobServiceClient().GetBlobContainerClient(storage.UniqueName("c").ToLowerInvariant());
        Assert.NotNull((await container.CreateIfNotExistsAsync(cancellationToken: Ct))?.Value);
        return container;
    }

    private static async Task<string> ContentAsync(BlobClient blob) => (await blob.DownloadContentAsync(Ct)).Value.Content.ToString();

    [Fact]
    public async Task Create_container_if_not_exists_is_idempotent()
    {
        var container = storage.CreateBlobServiceClient().GetBlobContainerClient(storage.UniqueName("c").ToLowerInvariant());
        Assert.NotNull(await container.CreateIfNotExistsAsync(cancellationToken: Ct));
        // Null when it was there already: nothing was created.
        Assert.Null(await container.CreateIfNotExistsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task A_create_only_write_round_trips_content_type_and_ETag()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("cp1/abc.json");
        var uploaded = await BlobCreateOnly.UploadAsync(blob, "{\"a\":1}"u8.ToArray(), "application/json", Ct);

        var downloaded = (await blob.DownloadContentAsync(Ct)).Value;
        Assert.Equal("{\"a\":1}", downloaded.Content.ToString());
        Assert.Equal("application/json", downloaded.Details.ContentType);
        Assert.Equal(uploaded.Value.ETag, downloaded.Details.ETag);
    }

    [Fact]
    public async Task A_create_only_write_of_an_existing_blob_reads_as_already_there_and_keeps_the_original()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("once");
        await BlobCreateOnly.UploadAsync(blob, "original"u8.ToArray(), "text/plain", Ct);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => BlobCreateOnly.UploadAsync(blob, "second"u8.ToArray(), "text/plain", Ct));
        Assert.True(BlobCreateOnly.AlreadyExists(e), $"{e.Status} {e.ErrorCode}");
        Assert.Equal("original", await ContentAsync(blob));

        await blob.UploadAsync(BinaryData.FromString("overwritten"), overwrite: true, Ct);
        Assert.Equal("overwritten", await ContentAsync(blob));
    }

    [Fact]
    public async Task Put_with_If_Match_succeeds_on_the_current_ETag_and_fails_412_on_a_stale_one()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("pointer");
        var first = await blob.UploadAsync(BinaryData.FromString("1"), Ct);
        BlobUploadOptions IfMatch(ETag etag) => new() { Conditions = new BlobRequestConditions { IfMatch = etag } };
        var second = await blob.UploadAsync(BinaryData.FromString("2"), IfMatch(first.Value.ETag), Ct);
        Assert.NotEqual(first.Value.ETag, second.Value.ETag);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("lost"), IfMatch(first.Value.ETag), Ct));
        Assert.Equal(412, e.Status);
        Assert.Equal(BlobErrorCode.ConditionNotMet, e.ErrorCode);
        Assert.Equal("2", await ContentAsync(blob));
    }

    [Fact]
    public async Task Get_with_If_None_Match_is_a_304_without_content_when_unchanged_and_the_content_when_changed()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("config.json");
        var first = await blob.UploadAsync(BinaryData.FromString("v1"), Ct);
        var ifChanged = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = first.Value.ETag } };

        var notModified = await blob.DownloadContentAsync(ifChanged, Ct);
        Assert.Equal(304, notModified.GetRawResponse().Status);
        Assert.False(notModified.HasValue);

        await blob.UploadAsync(BinaryData.FromString("v2"), overwrite: true, Ct);
        var changed = await blob.DownloadContentAsync(ifChanged, Ct);
        Assert.Equal(200, changed.GetRawResponse().Status);
        Assert.Equal("v2", changed.Value.Content.ToString());
    }

    [Fact]
    public async Task Get_of_a_missing_blob_is_a_404_BlobNotFound()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("nothing");
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync(Ct));
        Assert.Equal(404, e.Status);
        Assert.Equal(BlobErrorCode.BlobNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Put_into_a_missing_container_is_a_404_ContainerNotFound()
    {
        var blob = storage.CreateBlobServiceClient().GetBlobContainerClient(storage.UniqueName("none").ToLowerInvariant()).GetBlobClient("b");
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => BlobCreateOnly.UploadAsync(blob, "x"u8.ToArray(), "text/plain", Ct));
        Assert.Equal(404, e.Status);
        Assert.Equal(BlobErrorCode.ContainerNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Delete_if_exists_reports_whether_there_was_a_blob()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("cp/imports/temp.json");
        await blob.UploadAsync(BinaryData.FromString("x"), Ct);
        Assert.True((await blob.DeleteIfExistsAsync(cancellationToken: Ct)).Value);
        Assert.False((await blob.DeleteIfExistsAsync(cancellationToken: Ct)).Value);
    }
}
