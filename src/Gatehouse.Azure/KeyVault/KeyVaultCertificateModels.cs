using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Azure.KeyVault;

/// <summary>
/// How Key Vault makes a certificate (the REST <c>CertificatePolicy</c>): its key, subject,
/// validity, usages, issuer, and the content type its secret is exported in.
/// </summary>
public sealed class CertificatePolicy
{
    public const string PemContentType = "application/x-pem-file";
    public const string Pkcs12ContentType = "application/x-pkcs12";

    public required string Subject { get; init; }

    /// <summary><c>EC</c> or <c>RSA</c>.</summary>
    public string KeyType { get; init; } = "EC";

    /// <summary>For EC keys: <c>P-256</c>, <c>P-384</c>, <c>P-521</c>.</summary>
    public string? KeyCurveName { get; init; } = "P-256";

    /// <summary>For RSA keys: 2048, 3072, 4096.</summary>
    public int? KeySize { get; init; }

    /// <summary>Without it the secret holds no private key.</summary>
    public bool Exportable { get; init; } = true;

    public bool ReuseKey { get; init; }

    public string ContentType { get; init; } = PemContentType;

    public required int ValidityInMonths { get; init; }

    public IReadOnlyList<string> EnhancedKeyUsage { get; init; } = [];

    /// <summary>Key Vault's names: <c>digitalSignature</c>, <c>keyEncipherment</c>, …</summary>
    public IReadOnlyList<string> KeyUsage { get; init; } = [];

    /// <summary><c>Self</c> for self-signed.</summary>
    public string IssuerName { get; init; } = "Self";

    internal JsonObject ToJson()
    {
        var key = new JsonObject { ["exportable"] = Exportable, ["kty"] = KeyType, ["reuse_key"] = ReuseKey };
        if (KeyCurveName is not null)
        {
            key["crv"] = KeyCurveName;
        }
        if (KeySize is { } size)
        {
            key["key_size"] = size;
        }
        return new JsonObject
        {
            ["key_props"] = key,
            ["secret_props"] = new JsonObject { ["contentType"] = ContentType },
            ["x509_props"] = new JsonObject
            {
                ["subject"] = Subject,
                ["validity_months"] = ValidityInMonths,
                ["ekus"] = new JsonArray([.. EnhancedKeyUsage.Select(e => (JsonNode)e)]),
                ["key_usage"] = new JsonArray([.. KeyUsage.Select(u => (JsonNode)u)]),
            },
            ["issuer"] = new JsonObject { ["name"] = IssuerName },
        };
    }
}

/// <summary>A certificate operation (<c>.../certificates/{name}/pending</c>): in progress, completed, or failed with an error.</summary>
public sealed class CertificateOperationProperties
{
    public const string InProgress = "inProgress";
    public const string Completed = "completed";

    public string? Id { get; init; }

    public string? Status { get; init; }

    public string? StatusDetails { get; init; }

    /// <summary>The certificate's id once completed.</summary>
    public string? Target { get; init; }

    public bool CancellationRequested { get; init; }

    /// <summary>Set when the operation failed; then the operation is over whatever its status says.</summary>
    public CertificateOperationError? Error { get; init; }

    internal static CertificateOperationProperties Read(JsonElement json) => new()
    {
        Id = KeyVaultJson.String(json, "id"),
        Status = KeyVaultJson.String(json, "status"),
        StatusDetails = KeyVaultJson.String(json, "status_details"),
        Target = KeyVaultJson.String(json, "target"),
        CancellationRequested = json.TryGetProperty("cancellation_requested", out var c) && c.ValueKind == JsonValueKind.True,
        Error = json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object
            ? new CertificateOperationError(KeyVaultJson.String(e, "code"), KeyVaultJson.String(e, "message"))
            : null,
    };
}

public sealed record CertificateOperationError(string? Code, string? Message);

/// <summary>A certificate as Key Vault answers it (the REST <c>CertificateBundle</c>), without its policy.</summary>
public sealed class KeyVaultCertificate
{
    public required string Id { get; init; }

    /// <summary>The last segment of <see cref="Id"/>: the version, which its secret shares.</summary>
    public string Version => Id.TrimEnd('/').Split('/')[^1];

    public string? SecretId { get; init; }

    public string? KeyId { get; init; }

    /// <summary>The certificate, DER.</summary>
    public required byte[] Cer { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? ExpiresOn { get; init; }

    internal static KeyVaultCertificate Read(JsonElement json) => new()
    {
        Id = KeyVaultJson.String(json, "id") ?? throw new JsonException("The certificate bundle has no id."),
        SecretId = KeyVaultJson.String(json, "sid"),
        KeyId = KeyVaultJson.String(json, "kid"),
        Cer = Convert.FromBase64String(KeyVaultJson.String(json, "cer") ?? throw new JsonException("The certificate bundle has no cer.")),
        NotBefore = KeyVaultJson.UnixTime(json, "attributes", "nbf"),
        ExpiresOn = KeyVaultJson.UnixTime(json, "attributes", "exp"),
    };
}

/// <summary>A soft-deleted certificate: recoverable until <see cref="ScheduledPurgeDate"/>, or until purged.</summary>
public sealed class DeletedCertificate
{
    public string? RecoveryId { get; init; }

    public DateTimeOffset? DeletedOn { get; init; }

    public DateTimeOffset? ScheduledPurgeDate { get; init; }

    internal static DeletedCertificate Read(JsonElement json) => new()
    {
        RecoveryId = KeyVaultJson.String(json, "recoveryId"),
        DeletedOn = KeyVaultJson.UnixTime(json, "deletedDate"),
        ScheduledPurgeDate = KeyVaultJson.UnixTime(json, "scheduledPurgeDate"),
    };
}

internal static class KeyVaultJson
{
    public static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Key Vault writes times as Unix seconds, at the top level or inside <c>attributes</c>.</summary>
    public static DateTimeOffset? UnixTime(JsonElement json, params string[] path)
    {
        foreach (var name in path)
        {
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out json))
            {
                return null;
            }
        }
        return json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }
}
