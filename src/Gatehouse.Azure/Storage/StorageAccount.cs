using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// The three storage services Gatehouse uses, reached one way: a connection string (account key,
/// or Azurite), or service URIs with an Entra ID credential (managed identity in Azure). The one
/// place that builds their clients, so every client speaks the service versions of
/// <see cref="StorageAccountOptions"/>.
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

    /// <summary>
    /// From a connection string: <c>UseDevelopmentStorage=true</c> (Azurite on its default ports),
    /// or <c>AccountName</c> and <c>AccountKey</c> with optional <c>DefaultEndpointsProtocol</c>,
    /// <c>EndpointSuffix</c> and <c>BlobEndpoint</c>/<c>QueueEndpoint</c>/<c>TableEndpoint</c>
    /// (Azurite on other ports). Throws <see cref="FormatException"/> when it is none of these.
    /// </summary>
    public static StorageAccount FromConnectionString(string connectionString, StorageAccountOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new StorageAccountOptions();
        try
        {
            return new StorageAccount(
                new TableServiceClient(connectionString, options.Tables),
                new BlobServiceClient(connectionString, options.Blobs),
                new QueueServiceClient(connectionString, options.Queues));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's parsers say little ("Connection string parsing error") and differ by
            // service: say what a valid one holds instead. Neither their text nor the exception
            // is passed on, as either may quote a malformed segment, which may be a key.
            throw new FormatException(
                $"The storage connection string is not valid ({e.GetType().Name}). It is UseDevelopmentStorage=true, or AccountName " +
                "and AccountKey with optional DefaultEndpointsProtocol, EndpointSuffix, BlobEndpoint, QueueEndpoint and TableEndpoint.");
        }
    }

    /// <summary>From the three service URIs and an Entra ID credential, such as the function app's managed identity.</summary>
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
