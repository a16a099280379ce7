using Azure.Core;

namespace Gatehouse.Azure.KeyVault;

public sealed class KeyVaultCertificateClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        V7_5 = 1,
    }

    public const ServiceVersion LatestVersion = ServiceVersion.V7_5;

    public KeyVaultCertificateClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V7_5 => "7.5",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Key Vault service version."),
        };
        Diagnostics.LoggedHeaderNames.Add("x-ms-keyvault-service-version");
        Diagnostics.LoggedHeaderNames.Add("x-ms-request-id");
        Diagnostics.LoggedQueryParameters.Add("api-version");
    }

    internal string Version { get; }
}
