using Azure.Core;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Tables;

public sealed class TableClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        V2019_02_02 = 1,
    }

    public const ServiceVersion LatestVersion = ServiceVersion.V2019_02_02;

    public TableClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2019_02_02 => "2019-02-02",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Table service version."),
        };
        StoragePipeline.AllowStorageDiagnostics(Diagnostics);
    }

    internal string Version { get; }
}
