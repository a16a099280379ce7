using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Kong's certificates (kong/db/schema/entities/certificates.lua): PEMs that parse, and a key that matches.</summary>
public static class Certificates
{
    public static EntitySchema Schema { get; } = new("certificates",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("cert", FieldType.String) { Required = true }.With(CertificateValidator),
        new Field("key", FieldType.String) { Required = true }.With(KeyValidator),
        new Field("cert_alt", FieldType.String).With(CertificateValidator),
        new Field("key_alt", FieldType.String).With(KeyValidator),
        Tags,
    ])
    {
        Singular = "certificate",
        Checks = [MutuallyRequired("cert_alt", "key_alt"), KeysMatch],
        ChildNames = new ChildNames("snis", "snis", "name", "certificate"),
    };

    private static string? CertificateValidator(JsonNode value)
    {
        using var certificate = Pem.Certificate(value.GetValue<string>(), out var error);
        return certificate is null ? $"invalid certificate: {error}" : null;
    }

    private static string? KeyValidator(JsonNode value) =>
        Pem.PublicKeyOfPrivate(value.GetValue<string>()) is null ? "invalid key: could not load a PKCS#1, PKCS#8 or SEC1 private key" : null;

    private static IEnumerable<FieldError> KeysMatch(JsonObject certificate, CheckContext context)
    {
        var (cert, key, certAlt, keyAlt) = (Text(certificate["cert"]), Text(certificate["key"]), Text(certificate["cert_alt"]), Text(certificate["key_alt"]));
        if (cert is not null && key is not null && !Pem.Matches(cert, key))
        {
            yield return FieldError.Entity("certificate does not match key");
        }
        if (certAlt is not null && keyAlt is not null)
        {
            if (!Pem.Matches(certAlt, keyAlt))
            {
                yield return FieldError.Entity("alternative certificate does not match key");
            }
            else if (cert is not null && Pem.KeyAlgorithm(cert) == Pem.KeyAlgorithm(certAlt))
            {
                yield return FieldError.Entity(
                    "certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type");
            }
        }
    }
}

/// <summary>Kong's SNIs: names (wildcards allowed) that select a certificate; gone with their certificate.</summary>
public static class Snis
{
    public static EntitySchema Schema { get; } = new("snis",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("name", FieldType.String) { Required = true, Unique = true }.With(WildcardHost),
        Tags,
        Foreign("certificate", "certificates", OnDelete.Cascade, required: true),
    ])
    {
        Singular = "sni",
        EndpointKey = "name",
    };
}

/// <summary>Kong's CA certificates: one unexpired CA certificate each, identified by the SHA-256 of its DER.</summary>
public static class CaCertificates
{
    public static EntitySchema Schema { get; } = new("ca_certificates",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("cert", FieldType.String) { Required = true }.With(CaCertificate),
        new Field("cert_digest", FieldType.String) { Unique = true },
        Tags,
    ])
    {
        Singular = "ca_certificate",
        Shorthands = body =>
        {
            // The digest is Kong's to compute; whatever the client sends is replaced.
            body.Remove("cert_digest");
            if (body["cert"]?.GetValueKind() == JsonValueKind.String)
            {
                using var certificate = Pem.Certificate(body["cert"]!.GetValue<string>(), out _);
                if (certificate is not null)
                {
                    body["cert_digest"] = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
                }
            }
            return [];
        },
    };

    private static string? CaCertificate(JsonNode value)
    {
        var pem = value.GetValue<string>();
        if (pem.Split("-----BEGIN CERTIFICATE-----").Length > 2)
        {
            return "please submit only one certificate at a time";
        }
        using var certificate = Pem.Certificate(pem, out var error);
        if (certificate is null)
        {
            return $"invalid certificate: {error}";
        }
        if (certificate.NotAfter.ToUniversalTime() < DateTime.UtcNow)
        {
            return "certificate expired, \"Not After\" time is in the past";
        }
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        return constraints is { CertificateAuthority: true }
            ? null
            : "certificate does not appear to be a CA because it is missing the \"CA\" basic constraint";
    }
}
