using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// The data plane API's settings: <c>Gatehouse__KongVersion</c> (the Kong version this control
/// plane serves configurations for; nodes are checked against it), and under
/// <c>Gatehouse__DataPlane__</c>: <c>NodeRetentionHours</c>, <c>TrustForwardedClientCert</c>,
/// <c>HttpsPort</c> and <c>ServerCertificateFile</c>.
/// </summary>
public sealed record DataPlaneSettings(KongVersion KongVersion, TimeSpan NodeRetention, bool TrustForwardedClientCert)
{
    public const string DefaultKongVersion = "3.9.1";

    public static DataPlaneSettings Read(IConfiguration configuration)
    {
        var version = configuration["Gatehouse:KongVersion"] is { Length: > 0 } text ? text : DefaultKongVersion;
        if (!KongVersion.TryParse(version, out var kong))
        {
            throw new InvalidOperationException($"Gatehouse__KongVersion must be a Kong version such as {DefaultKongVersion}; it is '{version}'.");
        }
        var hours = configuration.GetValue("Gatehouse:DataPlane:NodeRetentionHours", 24.0);
        if (!(hours > 0))
        {
            throw new InvalidOperationException($"Gatehouse__DataPlane__NodeRetentionHours must be a positive number of hours; it is {hours}.");
        }
        return new DataPlaneSettings(kong, TimeSpan.FromHours(hours), configuration.GetValue("Gatehouse:DataPlane:TrustForwardedClientCert", false));
    }
}
