using Azure.Core;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Blobs;

public sealed class BlobClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        V2024_11_04 = 1,
    }

    public const ServiceVersion LatestVersion = ServiceVersion.V2024_11_04;

    public BlobClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2024_11_04 => "2024-11-04",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Blob service version."),
        };
        StoragePipeline.AllowStorageDiagnostics(Diagnostics);
    }

    internal string Version { get; }
}
