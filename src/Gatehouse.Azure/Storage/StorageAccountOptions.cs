using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// The client options of each service, pinned to the service versions Gatehouse speaks, for
/// callers that tune retries or transport or add a policy. The versions are pinned here, once,
/// so that the tests against Azurite exercise the wire version production speaks (see
/// docs/DESIGN.md, "Storage service versions: pinned, not skipped").
/// </summary>
public sealed class StorageAccountOptions
{
    /// <summary>The newest version the Tables SDK offers; Azurite 3.35 accepts it.</summary>
    public const TableClientOptions.ServiceVersion TableServiceVersion = TableClientOptions.ServiceVersion.V2020_12_06;

    /// <summary>
    /// The newest version Azurite 3.35 accepts: it refuses the SDK's default (2026-10-06) unless
    /// started with <c>--skipApiVersionCheck</c>.
    /// </summary>
    public const BlobClientOptions.ServiceVersion BlobServiceVersion = BlobClientOptions.ServiceVersion.V2025_11_05;

    /// <summary>As <see cref="BlobServiceVersion"/>, and for the same reason.</summary>
    public const QueueClientOptions.ServiceVersion QueueServiceVersion = QueueClientOptions.ServiceVersion.V2025_11_05;

    public TableClientOptions Tables { get; } = new(TableServiceVersion);

    public BlobClientOptions Blobs { get; } = new(BlobServiceVersion);

    /// <summary>
    /// Messages travel as plain text: the Functions host's queue trigger reads the recompose queue
    /// with host.json's <c>messageEncoding: none</c>, and the messages already queued are plain.
    /// </summary>
    public QueueClientOptions Queues { get; } = new(QueueServiceVersion) { MessageEncoding = QueueMessageEncoding.None };
}
