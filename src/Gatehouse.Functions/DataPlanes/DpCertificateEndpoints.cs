using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// <c>/v2/control-planes/{id}/dp-client-certificates</c>: Konnect's pinned DP certificates (list,
/// pin, get, replace, delete), and Gatehouse's <c>POST .../generate</c>, which mints one and
/// answers its private key this once. Logs name certificates by thumbprint, never by content.
/// </summary>
internal static class DpCertificateEndpoints
{
    private const string LogCategory = "Gatehouse.DataPlanes.DpCertificates";

    public static void MapDpCertificates(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}/dp-client-certificates").WithErrorDialect(ErrorDialect.Legacy).WithTags("DP Certificates")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);
        var error = ApiSchemas.LegacyError;

        group.MapGet("", async (string controlPlaneId, DpCertificateService service, CancellationToken ct) =>
        {
            var items = await service.ListAsync(ParseId(controlPlaneId, "control plane"), ct);
            return Results.Json(new { items = items.Select(DpCertificateJson.Write), page = new { total_count = items.Count } }, ApiJson.Options);
        })
            .WithSummary("List the control plane's pinned DP client certificates.")
            .Responds(200, "items and page.total_count", DpCertificateSchemas.Page)
            .Responds(404, "No such control plane", error);

        group.MapPost("", async (string controlPlaneId, HttpContext context, DpCertificateService service, ILoggerFactory logs, CancellationToken ct) =>
        {
            var id = ParseId(controlPlaneId, "control plane");
            var pinned = await service.PinAsync(id, DpCertificateJson.ReadUpload(await RequestBody.ReadObjectAsync(context.Request, ct)), ct);
            Log(logs, "Pinned", pinned);
            return Results.Json(new { item = DpCertificateJson.Write(pinned) }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        })
            .WithSummary("Pin an uploaded certificate (any control plane, groups included).")
            .WithRequestBody(DpCertificateSchemas.Request)
            .Responds(201, "Pinned", DpCertificateSchemas.Item)
            .Responds(400, "Not one valid, unexpired PEM certificate; or a bad title", error)
            .Responds(404, "No such control plane", error)
            .Responds(409, "The certificate is pinned already", error);

        group.MapPost("/generate", async (string controlPlaneId, HttpContext context, DpCertificateService service, ILoggerFactory logs, CancellationToken ct) =>
        {
            var id = ParseId(controlPlaneId, "control plane");
            var request = DpCertificateJson.ReadGeneration(await RequestBody.ReadObjectAsync(context.Request, ct, emptyIsObject: true));
            var generated = await service.GenerateAsync(id, request, ct);
            Log(logs, "Generated and pinned", generated.Certificate);
            // The only copy of the key there will ever be: no cache may keep one.
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new
            {
                item = DpCertificateJson.Write(generated.Certificate),
                private_key = generated.Issued.PrivateKeyPem,
            }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        })
            .WithSummary("Gatehouse's extension: mint a key and a client certificate (CN gatehouse-dp-{controlPlaneId}, client-auth EKU, ECDSA P-256) with the configured issuer, " +
                "pin the certificate, and answer the private key this once: it is stored nowhere. The body is optional.")
            .WithRequestBody(DpCertificateSchemas.Generation)
            .Responds(201, "Pinned; private_key is PKCS#8 PEM", DpCertificateSchemas.Generated)
            .Responds(400, "Bad title or validity", error)
            .Responds(404, "No such control plane", error)
            .Responds(502, "The issuer (Key Vault) failed; the message says why", error);

        group.MapGet("/{certificateId}", async (string controlPlaneId, string certificateId, DpCertificateService service, CancellationToken ct) =>
            Results.Json(new { item = DpCertificateJson.Write(await service.GetAsync(ParseId(controlPlaneId, "control plane"), ParseId(certificateId, "DP client certificate"), ct)) },
                ApiJson.Options))
            .WithSummary("Get a pinned certificate.")
            .Responds(200, "The certificate", DpCertificateSchemas.Item)
            .Responds(404, "Not found", error);

        group.MapPut("/{certificateId}", async (string controlPlaneId, string certificateId, HttpContext context, DpCertificateService service, ILoggerFactory logs, CancellationToken ct) =>
        {
            var (cp, id) = (ParseId(controlPlaneId, "control plane"), ParseId(certificateId, "DP client certificate"));
            var replaced = await service.ReplaceAsync(cp, id, DpCertificateJson.ReadUpload(await RequestBody.ReadObjectAsync(context.Request, ct)), ct);
            Log(logs, "Re-pinned", replaced);
            return Results.Json(new { item = DpCertificateJson.Write(replaced) }, ApiJson.Options);
        })
            .WithSummary("Pin another certificate in this record's place; the old one stops authenticating at once.")
            .WithRequestBody(DpCertificateSchemas.Request)
            .Responds(200, "Replaced", DpCertificateSchemas.Item)
            .Responds(400, "Invalid", error)
            .Responds(404, "Not found", error)
            .Responds(409, "The certificate is pinned already", error);

        group.MapDelete("/{certificateId}", async (string controlPlaneId, string certificateId, DpCertificateService service, ILoggerFactory logs, CancellationToken ct) =>
        {
            var (cp, id) = (ParseId(controlPlaneId, "control plane"), ParseId(certificateId, "DP client certificate"));
            await service.DeleteAsync(cp, id, ct);
            logs.CreateLogger(LogCategory).LogInformation("Unpinned DP client certificate {CertificateId} from control plane {ControlPlaneId}", id, cp);
            return Results.NoContent();
        })
            .WithSummary("Unpin: data planes presenting this certificate are refused from now on.")
            .Responds(204, "Deleted")
            .Responds(404, "Not found", error);

        group.MapUnmatched();
    }

    /// <summary>
    /// Ids are UUIDs. The spec answers these endpoints with 404 (not 400) for what does not
    /// exist, and nothing exists under a malformed id: a 404 that says why.
    /// </summary>
    internal static Guid ParseId(string value, string what) => Guid.TryParseExact(value, "D", out var id)
        ? id
        : throw new NotFoundException($"No {what} has the id '{(value.Length <= 64 ? value : value[..64] + "…")}': ids are UUIDs.");

    private static void Log(ILoggerFactory logs, string what, DpCertificate certificate) =>
        logs.CreateLogger(LogCategory).LogInformation(
            "{What} DP client certificate {CertificateId} (SHA-256 {Thumbprint}, expires {NotAfter:o}) for control plane {ControlPlaneId}",
            what, certificate.Id, certificate.Thumbprint, certificate.NotAfter, certificate.ControlPlaneId);
}
