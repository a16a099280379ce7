using Azure;
using Gatehouse.Azure.Blobs;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

public sealed class BlobClientTests(StorageFixture storage)
{
    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = storage.CreateBlobServiceClient().GetBlobContainerClient(storage.UniqueName("c").ToLowerInvariant());
        Assert.True((await container.CreateIfNotExistsAsync(TestContext.Current.CancellationToken)).Value);
        return container;
    }

    [Fact]
    public async Task Create_container_if_not_exists_is_idempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = storage.CreateBlobServiceClient();
        var container = service.GetBlobContainerClient(storage.UniqueName("c").ToLowerInvariant());
        Assert.True((await container.CreateIfNotExistsAsync(ct)).Value);
        Assert.False((await container.CreateIfNotExistsAsync(ct)).Value);
        Assert.Contains(container.Name, await service.GetBlobContainersAsync(container.Name, ct).ToListAsync(ct));
        Assert.True((await container.DeleteIfExistsAsync(ct)).Value);
        Assert.False((await container.DeleteIfExistsAsync(ct)).Value);
    }

    [Fact]
    public async Task Put_then_get_round_trips_content_type_and_ETag()
    {
        var ct = TestContext.Current.CancellationToken;
        var blob = (await NewContainerAsync()).GetBlobClient("snapshots/cp1/abc.json");
        var uploaded = await blob.UploadAsync(BinaryData.FromString("{\"a\":1}"), contentType: "application/json", cancellationToken: ct);

        var downloaded = (await blob.DownloadContentAsync(cancellationToken: ct)).Value;
        Assert.Equal("{\"a\":1}", downloaded.Content.ToString());
        Assert.Equal("application/json", downloaded.ContentType);
        Assert.Equal(uploaded.Value.ETag, downloaded.ETag);
        Assert.NotEqual(default, downloaded.LastModified);
    }

    [Fact]
    public async Task Create_only_put_of_an_existing_blob_says_it_already_exists_and_keeps_the_original()
    {
        var ct = TestContext.Current.CancellationToken;
        var blob = (await NewContainerAsync()).GetBlobClient("once");
        await blob.UploadAsync(BinaryData.FromString("original"), cancellationToken: ct);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("second"), cancellationToken: ct));
        Assert.Equal(BlobErrorCode.BlobAlreadyExists, e.ErrorCode);
        Assert.Contains(e.Status, new[] { 409, 412 });
        Assert.Equal("original", (await blob.DownloadContentAsync(cancellationToken: ct)).Value.Content.ToString());

        await blob.UploadAsync(BinaryData.FromString("overwritten"), overwrite: true, cancellationToken: ct);
        Assert.Equal("overwritten", (await blob.DownloadContentAsync(cancellationToken: ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task Put_with_If_Match_succeeds_on_the_current_ETag_and_fails_412_on_a_stale_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var blob = (await NewContainerAsync()).GetBlobClient("pointer");
        var first = await blob.UploadAsync(BinaryData.FromString("1"), cancellationToken: ct);
        var second = await blob.UploadAsync(BinaryData.FromString("2"), new RequestConditions { IfMatch = first.Value.ETag }, cancellationToken: ct);
        Assert.NotEqual(first.Value.ETag, second.Value.ETag);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("lost"), new RequestConditions { IfMatch = first.Value.ETag }, cancellationToken: ct));
        Assert.Equal(412, e.Status);
        Assert.Equal(BlobErrorCode.ConditionNotMet, e.ErrorCode);
        Assert.Equal("2", (await blob.DownloadContentAsync(cancellationToken: ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task Get_with_If_None_Match_is_a_304_when_unchanged_and_the_content_when_changed()
    {
        var ct = TestContext.Current.CancellationToken;
        var blob = (await NewContainerAsync()).GetBlobClient("config.json");
        var first = await blob.UploadAsync(BinaryData.FromString("v1"), cancellationToken: ct);

        var notModified = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.DownloadContentAsync(new RequestConditions { IfNoneMatch = first.Value.ETag }, ct));
        Assert.Equal(304, notModified.Status);
        Assert.Equal(BlobErrorCode.ConditionNotMet, notModified.ErrorCode);

        await blob.UploadAsync(BinaryData.FromString("v2"), overwrite: true, cancellationToken: ct);
        var changed = await blob.DownloadContentAsync(new RequestConditions { IfNoneMatch = first.Value.ETag }, ct);
        Assert.Equal("v2", changed.Value.Content.ToString());
    }

    [Fact]
    public async Task Get_of_a_missing_blob_is_a_404_BlobNotFound()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("nothing");
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(404, e.Status);
        Assert.Equal(BlobErrorCode.BlobNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Put_into_a_missing_container_is_a_404_ContainerNotFound()
    {
        var blob = storage.CreateBlobServiceClient().GetBlobContainerClient(storage.UniqueName("none").ToLowerInvariant()).GetBlobClient("b");
        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("x"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(404, e.Status);
        Assert.Equal(BlobErrorCode.ContainerNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Delete_if_exists_reports_whether_there_was_a_blob()
    {
        var ct = TestContext.Current.CancellationToken;
        var blob = (await NewContainerAsync()).GetBlobClient("temp");
        await blob.UploadAsync(BinaryData.FromString("x"), cancellationToken: ct);
        Assert.True((await blob.DeleteIfExistsAsync(cancellationToken: ct)).Value);
        Assert.False((await blob.DeleteIfExistsAsync(cancellationToken: ct)).Value);
    }

    [Fact]
    public async Task List_by_prefix_pages_through_names_with_slashes_and_unicode()
    {
        var ct = TestContext.Current.CancellationToken;
        var container = await NewContainerAsync();
        string[] names = ["snapshots/a/1.json", "snapshots/a/2 with space.json", "snapshots/a/ü✓.json", "snapshots/b/1.json", "other/1.json"];
        foreach (var name in names)
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(name), cancellationToken: ct);
        }

        var pages = await container.GetBlobsAsync("snapshots/a/", ct).AsPages(pageSizeHint: 2).ToListAsync(ct);
        var listed = pages.SelectMany(p => p.Values).ToList();

        Assert.Equal(["snapshots/a/1.json", "snapshots/a/2 with space.json", "snapshots/a/ü✓.json"], listed.Select(b => b.Name));
        Assert.Equal(2, pages.Count);
        Assert.All(listed, b => Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(b.Name), b.ContentLength));

        // A listed ETag compares equal to the one the blob's own GET returns.
        var direct = await container.GetBlobClient(listed[2].Name).DownloadContentAsync(cancellationToken: ct);
        Assert.Equal(direct.Value.ETag, listed[2].ETag);
        Assert.Equal(listed[2].Name, direct.Value.Content.ToString());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("UPPER")]
    [InlineData("has--double")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("under_score")]
    public void Invalid_container_names_are_refused_before_any_request(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => storage.CreateBlobServiceClient().GetBlobContainerClient(name));
        Assert.Contains(name, e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ends-in-dot.")]
    [InlineData("ends-in-slash/")]
    [InlineData("control\u0001char")]
    [InlineData("back\\slash")]
    public void Invalid_blob_names_are_refused_before_any_request(string name)
    {
        var container = storage.CreateBlobServiceClient().GetBlobContainerClient("valid-name");
        Assert.Throws<ArgumentException>(() => container.GetBlobClient(name));
        Assert.Throws<ArgumentException>(() => container.GetBlobClient(new string('a', 1025)));
    }
}
