using Azure;
using Azure.Storage.Blobs;
using Gatehouse.Azure.Composition;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Azure.DataPlanes;

/// <summary>
/// Compressed snapshots next to the snapshot they compress: <c>{control plane}/{hash}.json.{encoding}</c>
/// in the snapshots container, written create-only like the snapshot itself, and so removed with
/// whatever removes a control plane's snapshots.
/// </summary>
public sealed class BlobEncodedSnapshotStore(StorageAccount storage, StorageLayout layout) : IEncodedSnapshotStore
{
    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(layout.SnapshotsContainer);

    public async Task<ReadOnlyMemory<byte>?> ReadAsync(Guid controlPlane, string hash, string encoding, CancellationToken cancellationToken)
    {
        try
        {
            var blob = await _container.GetBlobClient(Name(controlPlane, hash, encoding)).DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return blob.Value.Content.ToMemory();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task WriteAsync(Guid controlPlane, string hash, string encoding, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await BlobCreateOnly.UploadAsync(_container.GetBlobClient(Name(controlPlane, hash, encoding)), content, "application/octet-stream", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (BlobCreateOnly.AlreadyExists(e))
        {
            // Another request compressed the same snapshot first: same bytes.
        }
    }

    private static string Name(Guid controlPlane, string hash, string encoding) => SnapshotBlobNames.Encoded(controlPlane, hash, encoding);
}
