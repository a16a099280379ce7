using Azure.Core;
using Gatehouse.Azure.Blobs;
using Gatehouse.Azure.Queues;
using Gatehouse.Azure.Tables;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// The three storage services Gatehouse uses, reached one way: a connection string (account key,
/// or Azurite), or service URIs with an Entra ID credential (managed identity in Azure).
/// </summary>
public sealed class StorageAccount
{
    public StorageAccount(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues)
    {
        Tables = tables ?? throw new ArgumentNullException(nameof(tables));
        Blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));
        Queues = queues ?? throw new ArgumentNullException(nameof(queues));
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public static StorageAccount FromConnectionString(string connectionString, StorageAccountOptions? options = null)
    {
        var connection = StorageConnectionString.Parse(connectionString);
        options ??= new StorageAccountOptions();
        return new StorageAccount(
            new TableServiceClient(connection.TableEndpoint, connection.Credential, options.Tables),
            new BlobServiceClient(connection.BlobEndpoint, connection.Credential, options.Blobs),
            new QueueServiceClient(connection.QueueEndpoint, connection.Credential, options.Queues));
    }

    public static StorageAccount FromServiceUris(
        Uri tableServiceUri, Uri blobServiceUri, Uri queueServiceUri, TokenCredential credential, StorageAccountOptions? options = null)
    {
        options ??= new StorageAccountOptions();
        return new StorageAccount(
            new TableServiceClient(tableServiceUri, credential, options.Tables),
            new BlobServiceClient(blobServiceUri, credential, options.Blobs),
            new QueueServiceClient(queueServiceUri, credential, options.Queues));
    }
}

/// <summary>The client options of each service, for callers that tune retries or transport.</summary>
public sealed class StorageAccountOptions
{
    public TableClientOptions Tables { get; init; } = new();

    public BlobClientOptions Blobs { get; init; } = new();

    public QueueClientOptions Queues { get; init; } = new();
}
