using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Kestrel's own HTTPS endpoint for data planes, when <see cref="DataPlaneHttps"/> made one: its
/// configured port (0 = the OS picks) and its self-signed server certificate (public part only,
/// PEM), which data planes must be told to trust. Both null on Azure, where App Service terminates
/// TLS with a certificate the system's roots trust.
/// </summary>
public sealed record DataPlaneListener(int? Port, string? ServerCertificatePem)
{
    /// <summary>
    /// Where data planes reach this control plane: <c>Gatehouse:PublicUrl</c> when set; else this
    /// HTTPS endpoint on the host the request came to; else the request's own scheme and host.
    /// </summary>
    public string UrlFor(HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetRequiredService<IConfiguration>()["Gatehouse:PublicUrl"] is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }
        if (Port is not { } port)
        {
            return $"{context.Request.Scheme}://{context.Request.Host}";
        }
        if (port == 0)
        {
            // The OS picked it: Kestrel knows which.
            var https = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                .FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
            port = https is null ? 0 : new Uri(https).Port;
        }
        return $"https://{context.Request.Host.Host}:{port}";
    }
}
