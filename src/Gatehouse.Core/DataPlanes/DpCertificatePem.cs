using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Core.DataPlanes;

/// <summary>What Gatehouse reads out of a pinned certificate's PEM.</summary>
public sealed record ParsedDpCertificate(string Thumbprint, string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>
/// Reads the <c>cert</c> of a DP client certificate strictly: one PEM <c>CERTIFICATE</c> block
/// holding one X.509 certificate and nothing else. A private key is refused outright (it would
/// otherwise be stored and echoed back), as are several certificates (which one would be pinned?),
/// text around the block, and a certificate that has already expired (it could never authenticate).
/// </summary>
public static class DpCertificatePem
{
    /// <summary>Far above any single certificate (a few KB) and far below a Table property (32K characters).</summary>
    public const int MaxLength = 16 * 1024;

    private const string CertificateLabel = "CERTIFICATE";

    // Says so without repeating any of it: the key must not end up in a log or an answer.
    private const string PrivateKey = "holds a private key: send only the certificate, its key stays with the data plane";

    public static ParsedDpCertificate? Parse(string pem, DateTimeOffset now, out string? error)
    {
        error = Check(pem, out var der);
        if (error is not null)
        {
            return null;
        }
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            var parsed = new ParsedDpCertificate(
                Thumbprint(der),
                certificate.Subject,
                certificate.Issuer,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
            if (parsed.NotAfter <= now)
            {
                error = $"expired at {parsed.NotAfter:yyyy-MM-dd'T'HH:mm:ss'Z'}, so no data plane could authenticate with it";
                return null;
            }
            return parsed;
        }
        catch (CryptographicException e)
        {
            error = $"is not a valid X.509 certificate: {e.Message}";
            return null;
        }
    }

    /// <summary>The thumbprint a certificate is pinned and looked up by: SHA-256 of its DER, lowercase hex.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> der) => Convert.ToHexStringLower(SHA256.HashData(der));

    private static string? Check(string pem, out byte[] der)
    {
        der = [];
        if (pem.Length > MaxLength)
        {
            return $"must not be longer than {MaxLength} characters";
        }
        // Said first, and even when the PEM around it is malformed: a key must not be stored, and
        // the sender should learn that it sent one.
        if (pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return PrivateKey;
        }
        var text = pem.AsSpan();
        var certificates = 0;
        var outside = false;
        var start = 0;
        while (PemEncoding.TryFind(text[start..], out var fields))
        {
            outside |= !text.Slice(start, fields.Location.Start.Value).IsWhiteSpace();
            var label = text[start..][fields.Label].ToString();
            if (label != CertificateLabel)
            {
                return $"holds a '{(label.Length <= 40 ? label : label[..40] + "…")}' block: expected one CERTIFICATE block";
            }
            if (++certificates > 1)
            {
                return "holds more than one certificate: pin one certificate per record";
            }
            der = Convert.FromBase64String(text[start..][fields.Base64Data].ToString());
            start += fields.Location.End.Value;
        }
        if (certificates == 0)
        {
            return "must be a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----)";
        }
        if (outside || !text[start..].IsWhiteSpace())
        {
            return "has text outside the -----BEGIN CERTIFICATE----- block: send the certificate alone";
        }
        return null;
    }
}
