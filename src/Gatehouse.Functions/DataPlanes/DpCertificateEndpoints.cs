using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;
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
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}/dp-client-certificates");

        group.MapGet("", async (string controlPlaneId, DpCertificateService service, CancellationToken ct) =>
        {
            var items = await service.ListAsync(ParseId(controlPlaneId, "control plane"), ct);
            return Results.Json(new { items = items.Select(DpCertificateJson.Write), page = new { total_count = items.Count } }, ApiJson.Options);
        });

        group.MapPost("", async (string controlPlaneId, HttpContext context, DpCertificateService service, ILoggerFactory logs, CancellationToken ct) =>
        {
            var id = ParseId(controlPlaneId, "control plane");
            var pinned = await service.PinAsync(id, DpCertificateJson.ReadUpload(await RequestBody.ReadObjectAsync(context.Request, ct)), ct);
            Log(logs, "Pinned", pinned);
            return Results.Json(new { item = DpCertificateJson.Write(pinned) }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        });

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
        });

        group.MapGet("/{certificateId}", async (string controlPlaneId, string certificateId, DpCertificateService service, CancellationToken ct) =>
            Results.Json(new { item = DpCertificateJson.Write(await service.GetAsync(ParseId(controlPlaneId, "control plane"), ParseId(certificateId, "DP client certificate"), ct)) },
                ApiJson.Options));

        group.MapPut("/{certificateId}", async (string controlPlaneId, string certificateId, HttpContext context, DpCertificateService service, ILoggerFactory logs, CancellationToken ct) =>
        {
            var (cp, id) = (ParseId(controlPlaneId, "control plane"), ParseId(certificateId, "DP client certificate"));
            var replaced = await service.ReplaceAsync(cp, id, DpCertificateJson.ReadUpload(await RequestBody.ReadObjectAsync(context.Request, ct)), ct);
            Log(logs, "Re-pinned", replaced);
            return Results.Json(new { item = DpCertificateJson.Write(replaced) }, ApiJson.Options);
        });

        group.MapDelete("/{certificateId}", async (string controlPlaneId, string certificateId, DpCertificateService service, ILoggerFactory logs, CancellationToken ct) =>
        {
            var (cp, id) = (ParseId(controlPlaneId, "control plane"), ParseId(certificateId, "DP client certificate"));
            await service.DeleteAsync(cp, id, ct);
            logs.CreateLogger(LogCategory).LogInformation("Unpinned DP client certificate {CertificateId} from control plane {ControlPlaneId}", id, cp);
            return Results.NoContent();
        });
    }

    /// <summary>
    /// Ids are UUIDs. The spec answers these endpoints with 404 (not 400) for what does not
    /// exist, and nothing exists under a malformed id: a 404 that says why.
    /// </summary>
    private static Guid ParseId(string value, string what) => Guid.TryParseExact(value, "D", out var id)
        ? id
        : throw new NotFoundException($"No {what} has the id '{(value.Length <= 64 ? value : value[..64] + "…")}': ids are UUIDs.");

    private static void Log(ILoggerFactory logs, string what, DpCertificate certificate) =>
        logs.CreateLogger(LogCategory).LogInformation(
            "{What} DP client certificate {CertificateId} (SHA-256 {Thumbprint}, expires {NotAfter:o}) for control plane {ControlPlaneId}",
            what, certificate.Id, certificate.Thumbprint, certificate.NotAfter, certificate.ControlPlaneId);
}
