using System.Text.Json.Nodes;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.Documentation;

/// <summary>DP client certificates: Konnect's endpoints, and Gatehouse's <c>generate</c>.</summary>
internal static partial class GatehouseOpenApi
{
    private const string DpCertificates = "/v2/control-planes/{controlPlaneId}/dp-client-certificates";

    private static void AddDpCertificates(JsonObject paths, JsonObject schemas)
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

        var item = Wrapped(new JsonObject { ["item"] = DpReference("DpClientCertificate") });
        var error = DpReference("LegacyError");
        var request = DpReference("DpClientCertificateRequest");
        var tag = "DP Certificates";
        paths[DpCertificates] = new JsonObject
        {
            ["get"] = Operation(tag, "List the control plane's pinned DP client certificates.",
                Responses(("200", "items and page.total_count", Wrapped(new JsonObject
                {
                    ["items"] = new JsonObject { ["type"] = "array", ["items"] = DpReference("DpClientCertificate") },
                    ["page"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["total_count"] = new JsonObject { ["type"] = "integer" } } },
                })), ("404", "No such control plane", error))),
            ["post"] = Operation(tag, "Pin an uploaded certificate (any control plane, groups included).",
                Responses(("201", "Pinned", item), ("400", "Not one valid, unexpired PEM certificate; or a bad title", error),
                    ("404", "No such control plane", error), ("409", "The certificate is pinned already", error)),
                body: request),
            ["parameters"] = new JsonArray(PathParameter("controlPlaneId", "uuid")),
        };
        paths[$"{DpCertificates}/generate"] = new JsonObject
        {
            ["post"] = Operation(tag,
                "Gatehouse's extension: mint a key and a client certificate (CN gatehouse-dp-{controlPlaneId}, client-auth EKU, ECDSA P-256) with the configured issuer, " +
                "pin the certificate, and answer the private key this once: it is stored nowhere. The body is optional.",
                Responses(("201", "Pinned; private_key is PKCS#8 PEM", Wrapped(new JsonObject
                {
                    ["item"] = DpReference("DpClientCertificate"),
                    ["private_key"] = new JsonObject { ["type"] = "string" },
                })), ("400", "Bad title or validity", error), ("404", "No such control plane", error), ("502", "The issuer (Key Vault) failed; the message says why", error)),
                body: DpReference("DpClientCertificateGeneration")),
            ["parameters"] = new JsonArray(PathParameter("controlPlaneId", "uuid")),
        };
        paths[$"{DpCertificates}/{{certificateId}}"] = new JsonObject
        {
            ["get"] = Operation(tag, "Get a pinned certificate.", Responses(("200", "The certificate", item), ("404", "Not found", error))),
            ["put"] = Operation(tag, "Pin another certificate in this record's place; the old one stops authenticating at once.",
                Responses(("200", "Replaced", item), ("400", "Invalid", error), ("404", "Not found", error), ("409", "The certificate is pinned already", error)),
                body: request),
            ["delete"] = Operation(tag, "Unpin: data planes presenting this certificate are refused from now on.",
                Responses(("204", "Deleted", null), ("404", "Not found", error))),
            ["parameters"] = new JsonArray(PathParameter("controlPlaneId", "uuid"), PathParameter("certificateId", "uuid")),
        };
    }

    private static JsonObject DpReference(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };

    private static JsonObject Wrapped(JsonObject properties) => new() { ["type"] = "object", ["properties"] = properties };
}
