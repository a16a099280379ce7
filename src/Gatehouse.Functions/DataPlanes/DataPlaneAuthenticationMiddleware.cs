using System.Security.Cryptography.X509Certificates;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Authenticates every <c>/v1/dp/*</c> request by its client certificate, pinned: the SHA-256 of
/// the presented certificate must be pinned to a control plane (one point read, so a deleted
/// certificate, or one of a deleted control plane, is refused at once) and not expired. The
/// certificate comes from the TLS handshake (Kestrel's data plane endpoint), or, only when
/// <c>Gatehouse__DataPlane__TrustForwardedClientCert</c> is true, from the <c>X-ARR-ClientCert</c>
/// header App Service sets after its own TLS handshake (base64 DER). Anyone can send that header
/// to an app that is reachable directly, so by default it is ignored. Refusals are 401 and logged
/// with the thumbprint, never the certificate.
/// </summary>
internal sealed class DataPlaneAuthenticationMiddleware(
    RequestDelegate next, IDpCertificateStore certificates, DataPlaneSettings settings, TimeProvider clock,
    ILogger<DataPlaneAuthenticationMiddleware> logger)
{
    public const string ForwardedHeader = "X-ARR-ClientCert";

    public async Task InvokeAsync(HttpContext context)
    {
        var (der, source) = Presented(context);
        if (der is null)
        {
            logger.LogWarning("Refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, source);
            await RefuseAsync(context, "A client certificate is required: present one pinned to a control plane (dp-client-certificates).");
            return;
        }
        var thumbprint = DpCertificatePem.Thumbprint(der);
        var pin = await certificates.FindByThumbprintAsync(thumbprint, context.RequestAborted);
        if (pin is null)
        {
            logger.LogWarning("Refused {Method} {Path}: client certificate SHA-256 {Thumbprint} ({Source}) is not pinned to any control plane",
                context.Request.Method, context.Request.Path, thumbprint, source);
            await RefuseAsync(context, "The client certificate is not pinned to any control plane.");
            return;
        }
        if (pin.NotAfter <= clock.GetUtcNow())
        {
            logger.LogWarning("Refused {Method} {Path}: client certificate SHA-256 {Thumbprint} of control plane {ControlPlaneId} expired at {NotAfter:o}",
                context.Request.Method, context.Request.Path, thumbprint, pin.ControlPlaneId, pin.NotAfter);
            await RefuseAsync(context, $"The client certificate expired at {pin.NotAfter.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
            return;
        }
        context.Features.Set(new DataPlaneIdentity(pin.ControlPlaneId, pin.CertificateId, thumbprint));
        await next(context);
    }

    /// <summary>The presented certificate's DER and where it came from, or null and why there is none.</summary>
    private (byte[]? Der, string Source) Presented(HttpContext context)
    {
        if (context.Connection.ClientCertificate is { } tls)
        {
            return (tls.RawData, "TLS");
        }
        if (!context.Request.Headers.TryGetValue(ForwardedHeader, out var forwarded))
        {
            return (null, "no client certificate");
        }
        if (!settings.TrustForwardedClientCert)
        {
            return (null, $"no client certificate ({ForwardedHeader} ignored: Gatehouse__DataPlane__TrustForwardedClientCert is not true)");
        }
        try
        {
            var der = Convert.FromBase64String(forwarded.ToString());
            // Parsed only to make sure it is a certificate; the pin is on the DER's hash.
            using var _ = X509CertificateLoader.LoadCertificate(der);
            return (der, ForwardedHeader);
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return (null, $"{ForwardedHeader} is not a base64 DER certificate");
        }
    }

    private static Task RefuseAsync(HttpContext context, string message) =>
        LegacyErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, message);
}
