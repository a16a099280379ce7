using Azure;
using Azure.Storage.Blobs;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Import;

namespace Gatehouse.Azure.Composition;

/// <summary>
/// Import journals as blobs beside the control plane's snapshots (<c>{control plane}/imports/{id}.json</c>),
/// written create-only: an import id is used once.
/// </summary>
public sealed class BlobImportJournal(StorageAccount storage, StorageLayout layout) : IImportJournal
{
    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(layout.SnapshotsContainer);

    public async Task WriteAsync(Guid controlPlane, string importId, byte[] content, CancellationToken cancellationToken) =>
        await BlobCreateOnly.UploadAsync(Blob(controlPlane, importId), content, "application/json", cancellationToken).ConfigureAwait(false);

    public async Task<byte[]?> ReadAsync(Guid controlPlane, string importId, CancellationToken cancellationToken)
    {
        try
        {
            var blob = await Blob(controlPlane, importId).DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return blob.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(Guid controlPlane, string importId, CancellationToken cancellationToken) =>
        await Blob(controlPlane, importId).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    private BlobClient Blob(Guid controlPlane, string importId) => _container.GetBlobClient($"{controlPlane}/imports/{importId}.json");
}
