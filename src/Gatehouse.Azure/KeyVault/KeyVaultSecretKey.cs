using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Certificates;

namespace Gatehouse.Azure.KeyVault;

/// <summary>
/// The private key in a Key Vault certificate's secret, as PKCS#8 PEM: the secret is PEM (key and
/// certificate) for <c>application/x-pem-file</c>, or base64 PKCS#12 with an empty password for
/// <c>application/x-pkcs12</c>.
/// </summary>
internal static class KeyVaultSecretKey
{
    public static string? ToPkcs8Pem(string? value, string? contentType)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            return contentType == CertificateContentType.Pkcs12.ToString() ? FromPkcs12(value) : FromPem(value);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static string? FromPem(string pem)
    {
        foreach (var load in new Func<AsymmetricAlgorithm>[] { ECDsa.Create, RSA.Create })
        {
            using var key = load();
            try
            {
                // Certificate blocks beside the key are skipped; only the key is imported.
                key.ImportFromPem(pem);
                return key.ExportPkcs8PrivateKeyPem();
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
            }
        }
        return null;
    }

    private static string? FromPkcs12(string base64)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(base64), null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey();
        return key?.ExportPkcs8PrivateKeyPem();
    }
}
