using System.Text.Json.Nodes;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.Documentation;

/// <summary>The bodies of the DP client certificate endpoints: Konnect's, and Gatehouse's <c>generate</c>.</summary>
internal static class DpCertificateSchemas
{
    /// <summary><c>{"item": certificate}</c>.</summary>
    public static JsonObject Item => ApiSchemas.Object(new JsonObject { ["item"] = ApiSchemas.Ref("DpClientCertificate") });

    /// <summary>The list: <c>items</c> and <c>page.total_count</c>.</summary>
    public static JsonObject Page => ApiSchemas.Object(new JsonObject
    {
        ["items"] = new JsonObject { ["type"] = "array", ["items"] = ApiSchemas.Ref("DpClientCertificate") },
        ["page"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["total_count"] = new JsonObject { ["type"] = "integer" } } },
    });

    /// <summary>What <c>generate</c> answers: the pinned certificate and its private key.</summary>
    public static JsonObject Generated => ApiSchemas.Object(new JsonObject
    {
        ["item"] = ApiSchemas.Ref("DpClientCertificate"),
        ["private_key"] = new JsonObject { ["type"] = "string" },
    });

    /// <summary>An uploaded certificate to pin.</summary>
    public static JsonObject Request => ApiSchemas.Ref("DpClientCertificateRequest");

    /// <summary>What <c>generate</c> takes.</summary>
    public static JsonObject Generation => ApiSchemas.Ref("DpClientCertificateGeneration");

    public static void AddComponents(JsonObject schemas)
    {
        schemas["DpClientCertificate"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                ["cert"] = new JsonObject { ["type"] = "string", ["description"] = "The certificate, PEM, as sent." },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["created_at"] = new JsonObject { ["type"] = "integer", ["description"] = "Unix seconds." },
                ["updated_at"] = new JsonObject { ["type"] = "integer", ["description"] = "Unix seconds." },
                ["cert_details"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Read from the certificate (Gatehouse's addition, after Kong's cert_details).",
                    ["properties"] = new JsonObject
                    {
                        ["expiry_timestamp"] = new JsonObject { ["type"] = "integer", ["description"] = "When it expires, Unix seconds." },
                        ["not_before_timestamp"] = new JsonObject { ["type"] = "integer" },
                        ["subject"] = new JsonObject { ["type"] = "string" },
                        ["issuer"] = new JsonObject { ["type"] = "string" },
                        ["sha256_fingerprint"] = new JsonObject { ["type"] = "string", ["description"] = "SHA-256 of the DER, lowercase hex: how a presented certificate is matched." },
                    },
                },
            },
        };
        schemas["DpClientCertificateRequest"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["cert"] = new JsonObject
                {
                    ["type"] = "string",
                    ["maxLength"] = DpCertificatePem.MaxLength,
                    ["description"] = "One PEM CERTIFICATE block, nothing else (no key, no chain), not expired. Pinned once in the whole installation.",
                },
                ["title"] = new JsonObject { ["type"] = "string", ["maxLength"] = DpCertificateOptions.MaxTitleLength },
            },
            ["required"] = new JsonArray("cert"),
        };
        schemas["DpClientCertificateGeneration"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["title"] = new JsonObject { ["type"] = "string", ["maxLength"] = DpCertificateOptions.MaxTitleLength },
                ["validity_months"] = new JsonObject
                {
                    ["type"] = "integer",
                    ["minimum"] = 1,
                    ["maximum"] = DpCertificateOptions.MaxValidityMonths,
                    ["description"] = "Defaults to Gatehouse__Certificates__ValidityMonths (12).",
                },
            },
        };
        schemas["LegacyError"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["message"] = new JsonObject { ["type"] = "string" } },
            ["required"] = new JsonArray("message"),
        };
    }
}
