using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>
/// Kong's certificates (kong/db/schema/entities/certificates.lua): PEMs that parse, and a key that
/// matches. Each PEM may instead be a <c>{vault://…}</c> reference (19-22, <c>referenceable</c>),
/// kept as given: only the data plane can resolve it, so the checks that need its value are skipped.
/// </summary>
public static class Certificates
{
    public static EntitySchema Schema { get; } = new("certificates",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("cert", FieldType.String) { Required = true, Referenceable = true }.With(CertificateValidator),
        new Field("key", FieldType.String) { Required = true, Referenceable = true }.With(KeyValidator),
        new Field("cert_alt", FieldType.String) { Referenceable = true }.With(CertificateValidator),
        new Field("key_alt", FieldType.String) { Referenceable = true }.With(KeyValidator),
        Tags,
    ])
    {
        Singular = "certificate",
        Checks =
        [
            MutuallyRequired("cert_alt", "key_alt"),
            UnlessReferenced(KeyMatches, "cert", "key"),
            UnlessReferenced(AlternativeKeyMatches, "cert_alt", "key_alt"),
            UnlessReferenced(AlternativeOfAnotherType, "cert", "cert_alt"),
        ],
        ChildNames = new ChildNames("snis", "snis", "name", "certificate"),
    };

    private static string? CertificateValidator(JsonNode value)
    {
        using var certificate = Pem.Certificate(value.GetValue<string>(), out var error);
        return certificate is null ? $"invalid certificate: {error}" : null;
    }

    private static string? KeyValidator(JsonNode value) =>
        Pem.PublicKeyOfPrivate(value.GetValue<string>()) is null ? "invalid key: could not load a PKCS#1, PKCS#8 or SEC1 private key" : null;

    // The three custom_entity_checks of certificates.lua:28-72, each skipped when one of its fields is a reference.
    private static IEnumerable<FieldError> KeyMatches(JsonObject certificate, CheckContext context) =>
        Text(certificate["cert"]) is { } cert && Text(certificate["key"]) is { } key && !Pem.Matches(cert, key)
            ? [FieldError.Entity("certificate does not match key")]
            : [];

    private static IEnumerable<FieldError> AlternativeKeyMatches(JsonObject certificate, CheckContext context) =>
        Text(certificate["cert_alt"]) is { } cert && Text(certificate["key_alt"]) is { } key && !Pem.Matches(cert, key)
            ? [FieldError.Entity("alternative certificate does not match key")]
            : [];

    private static IEnumerable<FieldError> AlternativeOfAnotherType(JsonObject certificate, CheckContext context) =>
        Text(certificate["cert"]) is { } cert && Text(certificate["cert_alt"]) is { } certAlt && Pem.KeyAlgorithm(cert) is { } type && type == Pem.KeyAlgorithm(certAlt)
            ? [FieldError.Entity(
                "certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type")]
            : [];
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
