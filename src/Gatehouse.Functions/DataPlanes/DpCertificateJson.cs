using System.Text.Json;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// DP client certificates on the wire: Konnect's DataPlaneClientCertificate
/// (<c>id, cert, title, created_at, updated_at</c>, times in epoch seconds) plus
/// <c>cert_details</c>, what Kong shows for a data plane's certificate (its expiry) and more.
/// </summary>
internal static class DpCertificateJson
{
    // What a GET answered may be sent back as is: the read-only fields are ignored, not refused.
    private static readonly HashSet<string> s_readOnly = ["id", "created_at", "updated_at", "cert_details"];
    private static readonly HashSet<string> s_upload = ["cert", "title", .. s_readOnly];
    private static readonly HashSet<string> s_generation = ["title", "validity_months"];

    public static DpCertificateUpload ReadUpload(JsonElement body)
    {
        var fields = new JsonFields(body, s_upload, []);
        var upload = new DpCertificateUpload(fields.String("cert"), fields.String("title"));
        ThrowIfAny(fields.Errors);
        return upload;
    }

    public static DpCertificateGeneration ReadGeneration(JsonElement body)
    {
        var fields = new JsonFields(body, s_generation, []);
        var generation = new DpCertificateGeneration(fields.String("title"), fields.Integer("validity_months"));
        ThrowIfAny(fields.Errors);
        return generation;
    }

    public static Dictionary<string, object?> Write(DpCertificate certificate) => new()
    {
        ["id"] = certificate.Id.ToString(),
        ["cert"] = certificate.Cert,
        ["title"] = certificate.Title,
        ["created_at"] = certificate.CreatedAt.ToUnixTimeSeconds(),
        ["updated_at"] = certificate.UpdatedAt.ToUnixTimeSeconds(),
        ["cert_details"] = new Dictionary<string, object?>
        {
            ["expiry_timestamp"] = certificate.NotAfter.ToUnixTimeSeconds(),
            ["not_before_timestamp"] = certificate.NotBefore.ToUnixTimeSeconds(),
            ["subject"] = certificate.Subject,
            ["issuer"] = certificate.Issuer,
            ["sha256_fingerprint"] = certificate.Thumbprint,
        },
    };

    private static void ThrowIfAny(List<InvalidParameter> errors)
    {
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Invalid DP client certificate request.", errors);
        }
    }
}
