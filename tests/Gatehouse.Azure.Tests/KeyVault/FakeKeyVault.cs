using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Security.KeyVault.Certificates;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Azure.Tests.KeyVault;

/// <summary>
/// A stand-in for Azure Key Vault's data plane (no emulator runs here), written from the published
/// REST contract (azure-rest-api-specs, Key Vault certificates and secrets, <see cref="ApiVersion"/>),
/// and faithful enough that the official CertificateClient and SecretClient work against it: HTTPS on
/// a loopback Kestrel; the api-version; bearer tokens, with the vault's challenge on every 401;
/// <c>POST /certificates/{name}/create</c> (202, a real key and self-signed certificate made from
/// the policy), <c>GET .../pending</c> (<c>inProgress</c> for a while, then <c>completed</c>, or a
/// failure with an <c>error</c>), <c>GET /certificates/{name}</c>, <c>GET /secrets/{name}/{version}</c>
/// (PEM or base64 PKCS#12 with an empty password), soft delete, <c>GET/DELETE /deletedcertificates/{name}</c>
/// (a deletion that takes a poll or two to finish, purge, purge protection), and Key Vault's
/// <c>{"error":{"code","message"}}</c> bodies.
/// </summary>
internal sealed class FakeKeyVault : IAsyncDisposable
{
    public const string Token = "fake-vault-token";
    public const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /// <summary>The REST API version this stand-in implements: the one Azure.Security.KeyVault.Certificates 4.10.0 and .Secrets 4.12.0 send.</summary>
    public const string ApiVersion = "2026-04-01";

    private LoopbackHttpsService _host = null!;

    public X509Certificate2 TlsCertificate => _host.TlsCertificate;

    public Uri VaultUri => _host.Uri;

    /// <summary>How many polls of a new operation answer <c>inProgress</c> before it completes.</summary>
    public int InProgressPolls { get; set; } = 1;

    /// <summary>When set, operations fail with this error code instead of completing.</summary>
    public string? FailIssuanceWith { get; set; }

    /// <summary>Every request is refused with 403, as for an identity without a role on the vault.</summary>
    public bool Forbid { get; set; }

    public bool PurgeProtection { get; set; }

    /// <summary>Makes keys non-exportable whatever the policy says, so secrets hold only the certificate.</summary>
    public bool ForceNonExportable { get; set; }

    /// <summary>How many reads of a deleted certificate answer 404 (deletion still finishing) before it shows.</summary>
    public int DeletionPolls { get; set; } = 1;

    /// <summary>"METHOD /path" of every authenticated request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>"METHOD /path" of every request that came without a token and was answered with the challenge.</summary>
    public ConcurrentQueue<string> Challenged { get; } = new();

    /// <summary>The JSON bodies of create requests, by certificate name.</summary>
    public ConcurrentDictionary<string, JsonObject> CreateBodies { get; } = new();

    public ConcurrentDictionary<string, Stored> Certificates { get; } = new();

    public ConcurrentDictionary<string, Stored> Deleted { get; } = new();

    public ConcurrentBag<string> Purged { get; } = [];

    public sealed class Stored
    {
        public required string Version { get; init; }

        public required byte[] Der { get; init; }

        public required string SecretValue { get; init; }

        public required string ContentType { get; init; }

        public required JsonObject Policy { get; init; }

        public int PollsLeft { get; set; }

        public int DeletionPollsLeft { get; set; }

        public bool Completed => PollsLeft <= 0;
    }

    public static async Task<FakeKeyVault> StartAsync()
    {
        var vault = new FakeKeyVault();
        vault._host = await LoopbackHttpsService.StartAsync(vault.Map);
        return vault;
    }

    /// <summary>Client options that trust this vault's TLS certificate, and do not retry (so each answer is seen as it is).</summary>
    public TOptions Trusting<TOptions>(TOptions options)
        where TOptions : ClientOptions => _host.Trusting(options, retries: 0);

    /// <summary>
    /// The official certificate client, pointed at this vault. Tests only: the vault is 127.0.0.1,
    /// not *.vault.azure.net, so the client must not insist that the challenge's resource
    /// (https://vault.azure.net) is the vault's own domain. Gatehouse itself leaves that check on.
    /// </summary>
    public CertificateClient CertificateClient(TokenCredential credential) =>
        new(VaultUri, credential, Trusting(new CertificateClientOptions { DisableChallengeResourceVerification = true }));

    /// <summary>The official secret client, pointed at this vault (the same test-only relaxation as <see cref="CertificateClient"/>).</summary>
    public SecretClient SecretClient(TokenCredential credential) =>
        new(VaultUri, credential, Trusting(new SecretClientOptions { DisableChallengeResourceVerification = true }));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // A vault answers only the API versions it knows; the official clients send the one they were generated from.
            var version = context.Request.Query["api-version"].ToString();
            if (version != ApiVersion)
            {
                await ErrorAsync(context, 400, "BadParameter", version.Length == 0
                    ? "The request URI contains an invalid or missing api-version."
                    : $"The specified version ({version}) is not recognized. Consider using the latest supported version ({ApiVersion}).");
                return;
            }
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization != $"Bearer {Token}")
            {
                // Every 401 carries the challenge: which tenant and resource to ask a token for. The
                // official clients send their first request to a vault without a token (and without
                // its body) to draw it, then send it again with a token for that resource.
                context.Response.Headers.WWWAuthenticate =
                    $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"https://vault.azure.net\"";
                if (authorization.Length == 0)
                {
                    Challenged.Enqueue($"{context.Request.Method} {context.Request.Path}");
                    await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
                }
                else
                {
                    await ErrorAsync(context, 401, "Unauthorized", "AKV10032: Invalid issuer. Expected one of https://sts.windows.net/...");
                }
                return;
            }
            if (Forbid)
            {
                await ErrorAsync(context, 403, "Forbidden",
                    "Caller is not authorized to perform action on resource. If role assignments were recently changed, please wait several minutes for role assignments to become effective.");
                return;
            }
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await next(context);
        });

        app.MapPost("/certificates/{name}/create", async (string name, HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
            CreateBodies[name] = body;
            var policy = body["policy"]!.AsObject();
            if (policy["issuer"]?["name"]?.GetValue<string>() != "Self")
            {
                return Error(400, "BadParameter", "This vault only issues self-signed certificates.");
            }
            var stored = Mint(policy);
            Certificates[name] = stored;
            context.Response.Headers.Location = $"{VaultUri}certificates/{name}/pending?api-version={ApiVersion}";
            return Results.Json(Operation(name, stored, pending: true), statusCode: 202);
        });

        app.MapGet("/certificates/{name}/pending", (string name) =>
        {
            if (!Certificates.TryGetValue(name, out var stored))
            {
                return Error(404, "CertificateOperationNotFound", $"Pending certificate not found: {name}");
            }
            var pending = stored.PollsLeft-- > 0;
            return Results.Json(Operation(name, stored, pending));
        });

        app.MapGet("/certificates/{name}", (string name) =>
            Certificates.TryGetValue(name, out var stored) && stored.Completed && FailIssuanceWith is null
                ? Results.Json(Bundle(name, stored))
                : Error(404, "CertificateNotFound", $"A certificate with (name/id) {name} was not found in this key vault."));

        app.MapGet("/secrets/{name}/{version}", (string name, string version) =>
            Certificates.TryGetValue(name, out var stored) && stored.Completed && stored.Version == version
                ? Results.Json(new JsonObject
                {
                    ["value"] = stored.SecretValue,
                    ["contentType"] = stored.ContentType,
                    ["id"] = $"{VaultUri}secrets/{name}/{version}",
                    ["kid"] = $"{VaultUri}keys/{name}/{version}",
                    ["managed"] = true,
                    ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() },
                })
                : Error(404, "SecretNotFound", $"A secret with (name/id) {name}/{version} was not found in this key vault."));

        app.MapDelete("/certificates/{name}", (string name) =>
        {
            if (!Certificates.TryRemove(name, out var stored))
            {
                return Error(404, "CertificateNotFound", $"A certificate with (name/id) {name} was not found in this key vault.");
            }
            stored.DeletionPollsLeft = DeletionPolls;
            Deleted[name] = stored;
            return Results.Json(Deletion(name, stored));
        });

        app.MapGet("/deletedcertificates/{name}", (string name) =>
            Deleted.TryGetValue(name, out var stored) && stored.DeletionPollsLeft-- <= 0
                ? Results.Json(Deletion(name, stored))
                : Error(404, "CertificateNotFound", $"Deleted Certificate not found: {name}"));

        app.MapDelete("/deletedcertificates/{name}", (string name) =>
        {
            if (PurgeProtection)
            {
                return Error(403, "Forbidden", "Operation \"purge\" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.");
            }
            if (!Deleted.TryGetValue(name, out var stored))
            {
                return Error(404, "CertificateNotFound", $"Deleted Certificate not found: {name}");
            }
            if (stored.DeletionPollsLeft >= 0)
            {
                return Error(409, "Conflict", "Certificate is currently being deleted.");
            }
            Deleted.TryRemove(name, out _);
            Purged.Add(name);
            return Results.NoContent();
        });
    }

    private Stored Mint(JsonObject policy)
    {
        var keyProps = policy["key_props"]!.AsObject();
        var x509 = policy["x509_props"]!.AsObject();
        using AsymmetricAlgorithm key = keyProps["kty"]!.GetValue<string>() == "RSA"
            ? RSA.Create(keyProps["key_size"]?.GetValue<int>() ?? 2048)
            : ECDsa.Create(keyProps["crv"]?.GetValue<string>() switch
            {
                "P-384" => ECCurve.NamedCurves.nistP384,
                "P-521" => ECCurve.NamedCurves.nistP521,
                _ => ECCurve.NamedCurves.nistP256,
            });
        var subject = new X500DistinguishedName(x509["subject"]!.GetValue<string>());
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        var ekus = new OidCollection();
        foreach (var eku in x509["ekus"]?.AsArray() ?? [])
        {
            ekus.Add(new Oid(eku!.GetValue<string>()));
        }
        if (ekus.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(ekus, false));
        }
        var usages = (x509["key_usage"]?.AsArray() ?? []).Select(u => u!.GetValue<string>()).Aggregate(X509KeyUsageFlags.None, (flags, usage) => flags | usage switch
        {
            "digitalSignature" => X509KeyUsageFlags.DigitalSignature,
            "keyEncipherment" => X509KeyUsageFlags.KeyEncipherment,
            "keyAgreement" => X509KeyUsageFlags.KeyAgreement,
            _ => X509KeyUsageFlags.None,
        });
        if (usages != X509KeyUsageFlags.None)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usages, true));
        }
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now, now.AddMonths(x509["validity_months"]!.GetValue<int>()));

        var contentType = policy["secret_props"]?["contentType"]?.GetValue<string>() ?? "application/x-pkcs12";
        var exportable = keyProps["exportable"]?.GetValue<bool>() == true && !ForceNonExportable;
        string secret = contentType == "application/x-pem-file"
            ? (exportable ? key.ExportPkcs8PrivateKeyPem() + "\n" : "") + certificate.ExportCertificatePem() + "\n"
            : Convert.ToBase64String(exportable
                ? certificate.Export(X509ContentType.Pkcs12, "")
                : X509CertificateLoader.LoadCertificate(certificate.RawData).Export(X509ContentType.Pkcs12, ""));
        return new Stored
        {
            Version = Guid.NewGuid().ToString("N"),
            Der = certificate.RawData,
            SecretValue = secret,
            ContentType = contentType,
            Policy = policy,
            PollsLeft = InProgressPolls,
        };
    }

    private JsonObject Operation(string name, Stored stored, bool pending)
    {
        var operation = new JsonObject
        {
            ["id"] = $"{VaultUri}certificates/{name}/pending",
            ["issuer"] = new JsonObject { ["name"] = "Self" },
            ["csr"] = "MIIBkjCB",
            ["cancellation_requested"] = false,
            ["request_id"] = Guid.NewGuid().ToString("N"),
        };
        if (pending)
        {
            operation["status"] = "inProgress";
            operation["status_details"] = "Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider.";
        }
        else if (FailIssuanceWith is { } code)
        {
            operation["status"] = "failed";
            operation["status_details"] = "The certificate could not be issued.";
            operation["error"] = new JsonObject { ["code"] = code, ["message"] = "The subject name is not valid for this policy." };
        }
        else
        {
            operation["status"] = "completed";
            operation["target"] = $"{VaultUri}certificates/{name}";
        }
        return operation;
    }

    private JsonObject Bundle(string name, Stored stored) => new()
    {
        ["id"] = $"{VaultUri}certificates/{name}/{stored.Version}",
        ["kid"] = $"{VaultUri}keys/{name}/{stored.Version}",
        ["sid"] = $"{VaultUri}secrets/{name}/{stored.Version}",
        ["x5t"] = Convert.ToBase64String(SHA1.HashData(stored.Der)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        ["cer"] = Convert.ToBase64String(stored.Der),
        ["attributes"] = new JsonObject
        {
            ["enabled"] = true,
            ["nbf"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["exp"] = DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeSeconds(),
            ["recoveryLevel"] = "Recoverable+Purgeable",
        },
        ["policy"] = stored.Policy.DeepClone(),
    };

    private JsonObject Deletion(string name, Stored stored) => new()
    {
        ["id"] = $"{VaultUri}certificates/{name}/{stored.Version}",
        ["recoveryId"] = $"{VaultUri}deletedcertificates/{name}",
        ["deletedDate"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["scheduledPurgeDate"] = DateTimeOffset.UtcNow.AddDays(90).ToUnixTimeSeconds(),
        ["cer"] = Convert.ToBase64String(stored.Der),
    };

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { code, message } }), context.RequestAborted);
    }
}
