using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.DataPlanes.QuickStart;

/// <summary>
/// <c>POST /v2/control-planes/{id}/dp-quickstart</c>: mints a DP client certificate as
/// <c>dp-client-certificates/generate</c> does (the same service and issuer) and answers it with a
/// ready setup of Kong and the sidecar for Docker, docker compose and Kubernetes. Groups included:
/// a group's data planes are pinned to the group.
/// </summary>
internal static class DpQuickStartEndpoints
{
    public static void MapDpQuickStart(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}/dp-quickstart").WithErrorDialect(ErrorDialect.Legacy).WithTags("DP Certificates")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);
        var error = ApiSchemas.LegacyError;

        group.MapPost("", CreateAsync)
            .WithSummary("Gatehouse's extension: mint and pin a DP client certificate as dp-client-certificates/generate does, and answer it with a ready setup of Kong " +
                "(the version this control plane serves, DB-less) and the Gatehouse sidecar: a Docker script, a compose file and Kubernetes manifests. " +
                "The private key is in this answer only. The body is optional.")
            .WithRequestBody(DpCertificateSchemas.Generation)
            .Responds(201, "The certificate and the setups; Cache-Control: no-store", DpQuickStartSchemas.QuickStart)
            .Responds(400, "Bad title or validity", error)
            .Responds(404, "No such control plane", error)
            .Responds(502, "The issuer (Key Vault) failed; the message says why", error);

        group.MapUnmatched();
    }

    private static async Task<IResult> CreateAsync(
        string controlPlaneId, HttpContext context, DpCertificateService certificates, DataPlaneSettings dataPlane, DataPlaneListener listener,
        QuickStartSettings images, ILoggerFactory logs, CancellationToken ct)
    {
        var id = DpCertificateEndpoints.ParseId(controlPlaneId, "control plane");
        var request = DpCertificateJson.ReadGeneration(await RequestBody.ReadObjectAsync(context.Request, ct, emptyIsObject: true));
        var generated = await certificates.GenerateAsync(id, request with { Title = request.Title ?? "quick start" }, ct);
        logs.CreateLogger("Gatehouse.DataPlanes.QuickStart").LogInformation(
            "Generated DP client certificate {CertificateId} (SHA-256 {Thumbprint}) for a quick start of control plane {ControlPlaneId}",
            generated.Certificate.Id, generated.Certificate.Thumbprint, id);

        var setup = new QuickStartSetup(id, listener.UrlFor(context), generated.Certificate.Cert, generated.Issued.PrivateKeyPem, listener.ServerCertificatePem,
            dataPlane.KongVersion, images.KongImage, images.SidecarImage);
        var notes = new List<string>();
        if (setup.ServerCaPem is not null)
        {
            notes.Add("The control plane's data plane endpoint has a self-signed certificate: server_ca is it, and the sidecar is told to trust it alone (--server-ca).");
        }
        if (setup.ControlPlaneOnLoopback)
        {
            notes.Add($"The control plane is on loopback ({setup.ControlPlaneUrl}): Docker and compose run Kong and the sidecar in the host's network; " +
                "a Kubernetes cluster cannot reach it. Set Gatehouse__PublicUrl to an address data planes reach.");
        }
        // The only copy of the key there will ever be: no cache may keep one.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new Dictionary<string, object?>
        {
            ["certificate"] = DpCertificateJson.Write(generated.Certificate),
            ["private_key"] = generated.Issued.PrivateKeyPem,
            ["control_plane_url"] = setup.ControlPlaneUrl,
            ["server_ca"] = setup.ServerCaPem,
            ["kong_version"] = setup.KongVersion.ToString(),
            ["kong_image"] = setup.KongImage,
            ["sidecar_image"] = setup.SidecarImage,
            ["docker_script"] = DockerScript.Write(setup),
            ["compose_yaml"] = ComposeFile.Write(setup),
            ["kubernetes_yaml"] = KubernetesManifests.Write(setup),
            ["notes"] = notes,
        }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }
}
