using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Queues;

/// <summary>The Queue service of one storage account: its queues, and a client for each.</summary>
public class QueueServiceClient
{
    private static readonly int[] s_ok = [200];

    private readonly HttpPipeline _pipeline;
    private readonly string _serviceUri;
    private readonly QueueClientOptions _options;

    /// <summary>From a connection string (account key, or <c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public QueueServiceClient(string connectionString, QueueClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), options)
    {
    }

    public QueueServiceClient(Uri endpoint, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
        : this(endpoint, new SharedKeyPolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    /// <summary>With an Entra ID credential, such as the function app's managed identity.</summary>
    public QueueServiceClient(Uri endpoint, TokenCredential credential, QueueClientOptions? options = null)
        : this(endpoint, StoragePipeline.Authenticate(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    private QueueServiceClient(StorageConnectionString connection, QueueClientOptions? options)
        : this(connection.QueueEndpoint, connection.Credential, options)
    {
    }

    private QueueServiceClient(Uri endpoint, HttpPipelinePolicy authentication, QueueClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _options = options ?? new QueueClientOptions();
        _pipeline = StoragePipeline.Build(_options, authentication);
        _serviceUri = endpoint.AbsoluteUri.TrimEnd('/');
        Uri = endpoint;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected QueueServiceClient()
    {
        _pipeline = null!;
        _serviceUri = "";
        _options = null!;
        Uri = null!;
    }

    public virtual Uri Uri { get; }

    public virtual QueueClient GetQueueClient(string queueName) =>
        new(_pipeline, _serviceUri, queueName, _options.Version, _options.MessageEncoding);

    /// <summary>The names of the queues in the account whose names start with <paramref name="prefix"/>.</summary>
    public virtual AsyncPageable<string> GetQueuesAsync(string? prefix = null, CancellationToken cancellationToken = default) =>
        new StoragePageable<string>(
            async (marker, pageSize, token) =>
            {
                var uri = StorageListing.Uri($"{_serviceUri}/?comp=list", prefix, marker, pageSize);
                using var message = _pipeline.CreateMessage(RequestMethod.Get, uri, _options.Version);
                var response = await _pipeline.SendExpectingAsync(message, s_ok, token).ConfigureAwait(false);
                return StorageListing.Page(response, "Queues", "Queue", item => item.Text("Name")!);
            },
            cancellationToken);
}
