using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Core.Entities;

/// <summary>Parsing PEM certificates and keys, and telling whether a certificate belongs to a key.</summary>
public static class Pem
{
    public static X509Certificate2? Certificate(string pem, out string? error)
    {
        try
        {
            error = null;
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            error = e.Message;
            return null;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The SubjectPublicKeyInfo of a PEM private key (RSA, EC or Ed25519-less), or null if it does not load.</summary>
    public static byte[]? PublicKeyOfPrivate(string pem)
    {
        foreach (var load in new Func<string, AsymmetricAlgorithm>[] { LoadRsa, LoadEc })
        {
            try
            {
                using var key = load(pem);
                return key.ExportSubjectPublicKeyInfo();
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
            }
        }
        return null;
    }

    /// <summary>The SubjectPublicKeyInfo of a PEM public key, or null.</summary>
    public static byte[]? PublicKey(string pem) => PublicKeyOfPrivate(pem);

    public static bool Matches(string certificatePem, string keyPem)
    {
        using var certificate = Certificate(certificatePem, out _);
        var fromKey = PublicKeyOfPrivate(keyPem);
        return certificate is not null && fromKey is not null
            && CryptographicOperations.FixedTimeEquals(certificate.PublicKey.ExportSubjectPublicKeyInfo(), fromKey);
    }

    public static string? KeyAlgorithm(string certificatePem)
    {
        using var certificate = Certificate(certificatePem, out _);
        return certificate?.PublicKey.Oid.Value;
    }

    private static RSA LoadRsa(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    private static ECDsa LoadEc(string pem)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        return ec;
    }
}
