using Azure.Core;

namespace Gatehouse.Azure.SignalR;

public sealed class SignalRServiceClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        /// <summary>What the service's own SDK (Microsoft.Azure.SignalR.Management) sends with.</summary>
        V2022_06_01 = 1,

        /// <summary>Adds <c>:generateToken</c>, which the client uses for that call whatever the version.</summary>
        V2023_07_01 = 2,
    }

    /// <summary>The version the service's SDK uses; newer calls ask for the version that has them.</summary>
    public const ServiceVersion DefaultVersion = ServiceVersion.V2022_06_01;

    public SignalRServiceClientOptions(ServiceVersion version = DefaultVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2022_06_01 => "2022-06-01",
            ServiceVersion.V2023_07_01 => "2023-07-01",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Azure SignalR Service REST API version."),
        };
        Diagnostics.LoggedHeaderNames.Add("x-ms-request-id");
        Diagnostics.LoggedHeaderNames.Add("x-ms-error-code");
        Diagnostics.LoggedQueryParameters.Add("api-version");
        Diagnostics.LoggedQueryParameters.Add("ttl");
        Diagnostics.LoggedQueryParameters.Add("minutesToExpire");
    }

    /// <summary>Signs AccessKey tokens; tests move it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    internal string Version { get; }
}
