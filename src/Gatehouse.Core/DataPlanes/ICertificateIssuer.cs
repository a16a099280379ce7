namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// Mints data plane client certificates: a new key pair and a certificate for it, for TLS client
/// authentication. The key is handed back to the caller once and kept nowhere by Gatehouse.
/// Adapters: a local issuer (in-process cryptography) and Azure Key Vault.
/// </summary>
public interface ICertificateIssuer
{
    Task<IssuedCertificate> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// What to mint. <paramref name="Name"/> is unique per request and safe as a Key Vault object name
/// (letters, digits, hyphens); <paramref name="CommonName"/> becomes the subject's CN.
/// </summary>
public sealed record CertificateIssueRequest(string Name, string CommonName, int ValidityMonths);

/// <summary>A minted certificate and its private key, both PEM. Never logged: <see cref="ToString"/> leaves the key out.</summary>
public sealed class IssuedCertificate(string certificatePem, string privateKeyPem)
{
    public string CertificatePem { get; } = certificatePem;

    /// <summary>PKCS#8 (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public string PrivateKeyPem { get; } = privateKeyPem;

    public override string ToString() => "IssuedCertificate (private key withheld)";
}

/// <summary>The issuer could not mint a certificate (refused, failed, or did not finish in time). Not the caller's fault.</summary>
public sealed class CertificateIssuerException(string message, Exception? innerException = null) : Exception(message, innerException);
