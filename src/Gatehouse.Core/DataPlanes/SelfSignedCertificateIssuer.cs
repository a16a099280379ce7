using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// The local issuer (for <c>./dev.sh up</c>, tests, and installations without Key Vault): an ECDSA
/// P-256 key and a self-signed client certificate, made in memory.
/// Self-signed rather than signed by a local CA because a pinned certificate is trusted by its own
/// thumbprint, not by its chain (<c>auth_type: pinned_client_certs</c>, Kong's
/// <c>cluster_mtls = shared</c> pinning): a CA would add no trust, only a long-lived signing key to
/// store and protect. Konnect's own generated DP certificates are self-signed for the same reason,
/// and Key Vault's issuer here is "Self" too.
/// </summary>
public sealed class SelfSignedCertificateIssuer(TimeProvider clock) : ICertificateIssuer
{
    /// <summary>id-kp-clientAuth: the certificate authenticates a TLS client.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    // A data plane whose clock is a little behind must not see a certificate "not yet valid".
    private static readonly TimeSpan s_backdating = TimeSpan.FromMinutes(5);

    public Task<IssuedCertificate> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Built rather than parsed, so a CN is never read as more than one name; shown as
        // "CN=…, O=Gatehouse", as Key Vault's certificates are.
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(request.CommonName);
        subject.AddOrganizationName("Gatehouse");
        var csr = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        csr.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        csr.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        csr.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthenticationOid)], false));
        csr.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(csr.PublicKey, false));

        var now = clock.GetUtcNow();
        using var certificate = csr.CreateSelfSigned(now - s_backdating, now.AddMonths(request.ValidityMonths));
        return Task.FromResult(new IssuedCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()));
    }
}
