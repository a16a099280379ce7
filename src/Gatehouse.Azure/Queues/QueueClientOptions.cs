using Azure.Core;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Queues;

/// <summary>How message text travels: as is, or base64 (what the Azure Functions queue trigger expects by default).</summary>
public enum QueueMessageEncoding
{
    None,
    Base64,
}

public sealed class QueueClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        V2024_11_04 = 1,
    }

    public const ServiceVersion LatestVersion = ServiceVersion.V2024_11_04;

    public QueueClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2024_11_04 => "2024-11-04",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Queue service version."),
        };
        StoragePipeline.AllowStorageDiagnostics(Diagnostics);
    }

    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.None;

    internal string Version { get; }
}
