using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Testing;

/// <summary>Certificates and keys made on the spot, as PEM, for entities that must hold real ones.</summary>
public static class TestCertificates
{
    public sealed record Pair(string Certificate, string Key);

    /// <summary>A self-signed server certificate and its private key (RSA 2048 or EC P-256).</summary>
    public static Pair Server(string subject = "CN=api.example.com", bool elliptic = false)
    {
        using AsymmetricAlgorithm key = elliptic ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        return new Pair(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A self-signed CA certificate (basic constraints CA:true).</summary>
    public static string CertificateAuthority(string subject = "CN=Gatehouse Test CA", DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var end = notAfter ?? DateTimeOffset.UtcNow.AddYears(1);
        using var certificate = request.CreateSelfSigned(end.AddYears(-2), end);
        return certificate.ExportCertificatePem();
    }

    /// <summary>A certificate with its private key, as a TLS client presents it.</summary>
    public static X509Certificate2 WithKey(Pair pair)
    {
        using var loaded = X509Certificate2.CreateFromPem(pair.Certificate, pair.Key);
        // A key made in memory is not usable by TLS on every platform; one loaded from PKCS#12 is.
        return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A self-signed certificate, with its key, valid over the given window (which may be past).</summary>
    public static X509Certificate2 Client(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A TLS server certificate for 127.0.0.1 (an IP SAN), with its key, for HTTPS fakes of Azure services on loopback.</summary>
    public static X509Certificate2 LoopbackTls()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12, so that the TLS stack gets a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
