using System.Text.Json.Nodes;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// <c>/v2/control-planes/{id}/declarative-config</c> (the current snapshot, JSON or YAML by
/// Accept, ETag = config hash) and <c>/expected-config-hash</c> (what an in-sync data plane runs).
/// </summary>
internal static class SnapshotEndpoints
{
    public static void MapSnapshots(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}").WithErrorDialect(ErrorDialect.Problem).WithTags("Declarative Config")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);

        group.MapGet("/expected-config-hash", async (string controlPlaneId, ControlPlaneService controlPlanes, SnapshotReader snapshots, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            var pointer = await snapshots.PointerAsync(id, ct);
            return Results.Json(new
            {
                expected_hash = pointer.Hash,
                created_at = pointer.CreatedAt.ToUnixTimeSeconds(),
                updated_at = pointer.UpdatedAt.ToUnixTimeSeconds(),
            }, ApiJson.Options);
        })
            .WithSummary("The config hash an in-sync data plane runs.")
            .Responds(200, "expected_hash, created_at, updated_at")
            .Responds(404, "No such control plane");

        group.MapGet("/group-status", async (string controlPlaneId, ControlPlaneService controlPlanes, SnapshotReader snapshots, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var controlPlane = await controlPlanes.GetAsync(id, ct);
            if (!controlPlane.IsGroup)
            {
                throw new Gatehouse.Core.Validation.RequestInvalidException($"Control plane {id} is not a control plane group.",
                    [new Gatehouse.Core.Validation.InvalidParameter("controlPlaneId", $"control plane {id} is not a control plane group", "invalid")]);
            }
            var status = await snapshots.GroupStatusAsync(id, ct);
            return Results.Json(new
            {
                item = new
                {
                    id,
                    created_at = ApiJson.Timestamp(status.CreatedAt),
                    updated_at = ApiJson.Timestamp(status.UpdatedAt),
                    state = status.State,
                    conflicts = status.Conflicts.Select(c => new
                    {
                        cluster_id = c.ClusterId,
                        description = c.Description,
                        resource = new { id = c.ResourceId, type = c.ResourceType },
                    }),
                },
            }, ApiJson.Options);
        })
            .WithTags("Control Plane Groups")
            .WithSummary("OK, CONFLICT (with every conflict) or UNKNOWN.")
            .Responds(200, "The group's status")
            .Responds(400, "Not a group");

        group.MapGet("/declarative-config", async (string controlPlaneId, HttpContext context, ControlPlaneService controlPlanes, SnapshotReader snapshots, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            var pointer = await snapshots.PointerAsync(id, ct);
            var etag = $"\"{pointer.Hash}\"";
            context.Response.Headers.ETag = etag;
            if (IfNoneMatch.Matches(context.Request, etag))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            return Document(context, await snapshots.ContentAsync(id, pointer, ct));
        })
            .WithSummary("The current snapshot as Kong declarative config (YAML with Accept: application/yaml). ETag is the config hash; If-None-Match answers 304.")
            .Responds(200, "The snapshot")
            .Responds(304, "Unchanged")
            .Responds(404, "No such control plane");
    }

    /// <summary>A snapshot as JSON, or as YAML when the client accepts it: the current one, or a version's.</summary>
    public static IResult Document(HttpContext context, ReadOnlyMemory<byte> content)
    {
        var wantsYaml = context.Request.GetTypedHeaders().Accept
            .Any(a => a.MediaType.Value is "application/yaml" or "application/x-yaml" or "text/yaml");
        return wantsYaml
            ? Results.Text(YamlText.From(JsonNode.Parse(content.Span)!), "application/yaml")
            : Results.Bytes(content.ToArray(), "application/json");
    }
}
