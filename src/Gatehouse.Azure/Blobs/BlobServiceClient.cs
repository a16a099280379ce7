using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Blobs;

/// <summary>The Blob service of one storage account: its containers, and a client for each.</summary>
public class BlobServiceClient
{
    private static readonly int[] s_ok = [200];

    private readonly HttpPipeline _pipeline;
    private readonly string _serviceUri;
    private readonly string _version;

    /// <summary>From a connection string (account key, or <c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public BlobServiceClient(string connectionString, BlobClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), options)
    {
    }

    public BlobServiceClient(Uri endpoint, StorageSharedKeyCredential credential, BlobClientOptions? options = null)
        : this(endpoint, new SharedKeyPolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    /// <summary>With an Entra ID credential, such as the function app's managed identity.</summary>
    public BlobServiceClient(Uri endpoint, TokenCredential credential, BlobClientOptions? options = null)
        : this(endpoint, StoragePipeline.Authenticate(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    private BlobServiceClient(StorageConnectionString connection, BlobClientOptions? options)
        : this(connection.BlobEndpoint, connection.Credential, options)
    {
    }

    private BlobServiceClient(Uri endpoint, HttpPipelinePolicy authentication, BlobClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new BlobClientOptions();
        _pipeline = StoragePipeline.Build(options, authentication);
        _serviceUri = endpoint.AbsoluteUri.TrimEnd('/');
        _version = options.Version;
        Uri = endpoint;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected BlobServiceClient()
    {
        _pipeline = null!;
        _serviceUri = _version = "";
        Uri = null!;
    }

    public virtual Uri Uri { get; }

    public virtual BlobContainerClient GetBlobContainerClient(string containerName) =>
        new(_pipeline, _serviceUri, containerName, _version);

    /// <summary>The names of the containers in the account whose names start with <paramref name="prefix"/>.</summary>
    public virtual AsyncPageable<string> GetBlobContainersAsync(string? prefix = null, CancellationToken cancellationToken = default) =>
        new StoragePageable<string>(
            async (marker, pageSize, token) =>
            {
                var uri = StorageListing.Uri($"{_serviceUri}/?comp=list", prefix, marker, pageSize);
                using var message = _pipeline.CreateMessage(RequestMethod.Get, uri, _version);
                var response = await _pipeline.SendExpectingAsync(message, s_ok, token).ConfigureAwait(false);
                return StorageListing.Page(response, "Containers", "Container", item => item.Text("Name")!);
            },
            cancellationToken);
}
