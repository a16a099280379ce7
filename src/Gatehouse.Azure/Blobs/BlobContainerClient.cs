using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Blobs;

/// <summary>One container: creating it, listing its blobs, and a client for each blob.</summary>
public class BlobContainerClient
{
    private static readonly int[] s_createdOrExists = [201, 409];
    private static readonly int[] s_deletedOrMissing = [202, 404];
    private static readonly int[] s_ok = [200];

    private readonly HttpPipeline _pipeline;
    private readonly string _containerUri;
    private readonly string _version;

    internal BlobContainerClient(HttpPipeline pipeline, string serviceUri, string containerName, string version)
    {
        _pipeline = pipeline;
        Name = StorageNames.CheckContainerOrQueueName(containerName, nameof(containerName));
        _containerUri = $"{serviceUri}/{containerName}";
        _version = version;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected BlobContainerClient()
    {
        _pipeline = null!;
        _containerUri = _version = Name = "";
    }

    public virtual string Name { get; }

    public virtual Uri Uri => new(_containerUri);

    public virtual BlobClient GetBlobClient(string blobName) => new(_pipeline, _containerUri, blobName, _version);

    /// <summary>Creates the container (private access); <c>Value</c> is false when it already existed.</summary>
    public virtual async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, $"{_containerUri}?restype=container", _version);
        var response = await _pipeline.SendExpectingAsync(message, s_createdOrExists, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && !StorageErrors.Is(response, BlobErrorCode.ContainerAlreadyExists))
        {
            // 409 ContainerBeingDeleted: not there, and cannot be made yet.
            throw new RequestFailedException(response, null, StorageErrorParser.Shared);
        }
        return Response.FromValue(response.Status == 201, response);
    }

    /// <summary>Deletes the container and its blobs; <c>Value</c> is false when there was none.</summary>
    public virtual async Task<Response<bool>> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, $"{_containerUri}?restype=container", _version);
        var response = await _pipeline.SendExpectingAsync(message, s_deletedOrMissing, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response.Status == 202, response);
    }

    /// <summary>The blobs whose names start with <paramref name="prefix"/>, in name order, across pages.</summary>
    public virtual AsyncPageable<BlobItem> GetBlobsAsync(string? prefix = null, CancellationToken cancellationToken = default) =>
        new StoragePageable<BlobItem>(
            async (marker, pageSize, token) =>
            {
                var uri = StorageListing.Uri($"{_containerUri}?restype=container&comp=list", prefix, marker, pageSize);
                using var message = _pipeline.CreateMessage(RequestMethod.Get, uri, _version);
                var response = await _pipeline.SendExpectingAsync(message, s_ok, token).ConfigureAwait(false);
                return StorageListing.Page(response, "Blobs", "Blob", blob =>
                {
                    var properties = blob.Element("Properties");
                    return new BlobItem(
                        blob.Text("Name")!,
                        StorageETag.Parse(properties?.Text("Etag")),
                        long.TryParse(properties?.Text("Content-Length"), out var length) ? length : 0,
                        properties?.Text("Content-Type"),
                        properties?.Date("Last-Modified"));
                });
            },
            cancellationToken);
}
