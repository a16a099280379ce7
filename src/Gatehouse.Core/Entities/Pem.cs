using System.Formats.Asn1;
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

    /// <summary>
    /// Whether a PEM text holds a key OpenSSL loads (what Kong's jwt daos.lua:4-11 asks of
    /// <c>openssl_pkey.new</c>): an RSA or EC key, public or private, or an Ed25519 or Ed448 key,
    /// which .NET does not load and which are therefore read as their ASN.1 structure.
    /// </summary>
    public static bool IsKey(string pem) => PublicKeyOfPrivate(pem) is not null || IsEdwardsKey(pem);

    // RFC 8410: id-Ed25519 and id-Ed448, with their key lengths.
    private static readonly Dictionary<string, int> s_edwardsKeyLengths = new(StringComparer.Ordinal)
    {
        ["1.3.101.112"] = 32,
        ["1.3.101.113"] = 57,
    };

    private static bool IsEdwardsKey(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            return false;
        }
        var label = pem[fields.Label];
        byte[] der;
        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            return false;
        }
        try
        {
            var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            if (label == "PRIVATE KEY")
            {
                // PKCS#8: version, algorithm, then the key as an OCTET STRING holding an OCTET STRING.
                sequence.ReadInteger();
                var algorithm = Algorithm(sequence);
                var inner = new AsnReader(sequence.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
                return s_edwardsKeyLengths.TryGetValue(algorithm, out var length) && inner.Length == length;
            }
            if (label == "PUBLIC KEY")
            {
                // SubjectPublicKeyInfo: algorithm, then the key as a BIT STRING.
                var algorithm = Algorithm(sequence);
                var key = sequence.ReadBitString(out var unused);
                return unused == 0 && !sequence.HasData && s_edwardsKeyLengths.TryGetValue(algorithm, out var length) && key.Length == length;
            }
            return false;
        }
        catch (AsnContentException)
        {
            return false;
        }

        static string Algorithm(AsnReader sequence)
        {
            var identifier = sequence.ReadSequence();
            var oid = identifier.ReadObjectIdentifier();
            return identifier.HasData ? "" : oid;
        }
    }

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
