namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Who a <c>/v1/dp/*</c> request comes from, as its client certificate says: the control plane
/// (or group) the certificate is pinned to, the pinned certificate's record, and its SHA-256
/// thumbprint. Set by <see cref="DataPlaneAuthenticationMiddleware"/> before any <c>/v1/dp</c>
/// endpoint runs; read it with <see cref="DataPlaneIdentityExtensions.DataPlaneIdentity"/>.
/// </summary>
public sealed record DataPlaneIdentity(Guid ControlPlaneId, Guid CertificateId, string Thumbprint);

public static class DataPlaneIdentityExtensions
{
    /// <summary>The authenticated data plane; every endpoint under <c>/v1/dp</c> has one.</summary>
    public static DataPlaneIdentity DataPlaneIdentity(this HttpContext context) =>
        context.Features.Get<DataPlaneIdentity>()
        ?? throw new InvalidOperationException($"{context.Request.Path} is not under /v1/dp, where data planes are authenticated.");
}
