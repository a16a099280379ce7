using Azure.Data.Tables;
using Gatehouse.Azure.Blobs;
using Gatehouse.Azure.Queues;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// The client options of each service, pinned to the service versions Gatehouse speaks, for
/// callers that tune retries or transport or add a policy. The versions are pinned here, once,
/// so that the tests against Azurite exercise the wire version production speaks (see
/// docs/DESIGN.md, "Hosting decision").
/// </summary>
public sealed class StorageAccountOptions
{
    /// <summary>The newest version the Tables SDK offers; Azurite 3.35 accepts it.</summary>
    public const TableClientOptions.ServiceVersion TableServiceVersion = TableClientOptions.ServiceVersion.V2020_12_06;

    public TableClientOptions Tables { get; } = new(TableServiceVersion);

    public BlobClientOptions Blobs { get; } = new();

    public QueueClientOptions Queues { get; } = new();
}
