using System.Text.Json.Nodes;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Rollouts;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.DataPlanes;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Rollouts;

/// <summary>
/// Staged rollouts (issue #14), Gatehouse's own (Konnect has none): <c>/v2/control-planes/{id}/rollout-policy</c>
/// (PUT, GET, DELETE) and <c>/rollout</c> (GET; POST <c>/promote</c>, <c>/abort</c>). A control plane
/// group takes a policy as a control plane does: its nodes pull its snapshot the same way. Errors are problem+json.
/// </summary>
internal static class RolloutEndpoints
{
    private const int NodePage = 1000;

    public static void MapRollouts(this IEndpointRouteBuilder app)
    {
        // Two groups, not one at the control plane: a fallback there would answer for every other path under it.
        var policies = Group(app, "/v2/control-planes/{controlPlaneId}/rollout-policy");
        var group = Group(app, "/v2/control-planes/{controlPlaneId}/rollout");

        policies.MapPut("", async (string controlPlaneId, HttpContext context, ControlPlaneService controlPlanes, SnapshotReader snapshots,
            RolloutService rollouts, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var policy = RolloutJson.ReadPolicy(await RequestBody.ReadObjectAsync(context.Request, ct));
            await controlPlanes.GetAsync(id, ct);
            var stored = await rollouts.PutPolicyAsync(id, policy, await snapshots.PointerAsync(id, ct), ct);
            return Results.Json(RolloutJson.Write(stored.Policy), ApiJson.Options);
        })
            .WithSummary("Set the control plane's staged rollout policy: which nodes are canaries (canary_labels, canary_node_ids, canary_percentage; " +
                "any one of them takes a node), how long a new config bakes on them (bake_time_seconds), and whether it is then promoted (auto_promote, default true). " +
                "Set on a control plane without one, every node stays on the current config; the next config is rolled out.")
            .WithRequestBody(RolloutJson.PolicySchema)
            .Responds(200, "The policy", RolloutJson.PolicySchema)
            .Responds(400, "Invalid policy; each wrong field is named")
            .Responds(404, "No such control plane");

        policies.MapGet("", async (string controlPlaneId, ControlPlaneService controlPlanes, RolloutService rollouts, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            return Results.Json(RolloutJson.Write((await rollouts.GetAsync(id, ct)).Policy), ApiJson.Options);
        })
            .WithSummary("The control plane's staged rollout policy.")
            .Responds(200, "The policy", RolloutJson.PolicySchema)
            .Responds(404, "No such control plane, or it has no policy");

        policies.MapDelete("", async (string controlPlaneId, ControlPlaneService controlPlanes, SnapshotReader snapshots,
            RolloutService rollouts, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            await rollouts.DeletePolicyAsync(id, await snapshots.PointerAsync(id, ct), ct);
            return Results.NoContent();
        })
            .WithSummary("Remove the policy: every node is served the newest config at once, as without rollouts (a rollout baking ends with it).")
            .Responds(204, "Removed")
            .Responds(404, "No such control plane, or it has no policy");

        group.MapGet("", async (string controlPlaneId, ControlPlaneService controlPlanes, SnapshotReader snapshots,
            RolloutService rollouts, NodeService nodes, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            var pointer = await snapshots.PointerAsync(id, ct);
            var rollout = await rollouts.ObserveAsync(id, pointer, ct) ?? await rollouts.GetAsync(id, ct);
            return await StatusAsync(id, rollout, nodes, ct);
        })
            .WithSummary("Where the control plane's rollout stands: state (idle, baking, promoted, rolled_back, aborted), the stable and canary " +
                "config hashes, when a baking canary is promoted, why it ended, and the live nodes the policy makes canaries, with the config each runs.")
            .Responds(200, "The rollout", Status)
            .Responds(404, "No such control plane, or it has no policy");

        group.MapPost("/promote", async (string controlPlaneId, ControlPlaneService controlPlanes, SnapshotReader snapshots,
            RolloutService rollouts, NodeService nodes, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            return await StatusAsync(id, await rollouts.PromoteAsync(id, await snapshots.PointerAsync(id, ct), ct), nodes, ct);
        })
            .WithSummary("Promote the baking canary now: every node is served it.")
            .Responds(200, "The rollout, promoted", Status)
            .Responds(404, "No such control plane, or it has no policy")
            .Responds(409, "No rollout is baking");

        group.MapPost("/abort", async (string controlPlaneId, ControlPlaneService controlPlanes, SnapshotReader snapshots,
            RolloutService rollouts, NodeService nodes, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            return await StatusAsync(id, await rollouts.AbortAsync(id, await snapshots.PointerAsync(id, ct), ct), nodes, ct);
        })
            .WithSummary("Abort the baking canary: every node is served the stable config again, and this canary stays off until a newer config comes.")
            .Responds(200, "The rollout, aborted", Status)
            .Responds(404, "No such control plane, or it has no policy")
            .Responds(409, "No rollout is baking");

        policies.MapUnmatched();
        group.MapUnmatched();
    }

    private static RouteGroupBuilder Group(IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).WithErrorDialect(ErrorDialect.Problem).WithTags("Rollouts").RequiresAccess(AccessRequirement.ControlPlaneRole);

    private static JsonObject Status
    {
        get
        {
            var schema = RolloutJson.StatusSchema;
            schema["properties"]!["canary_nodes"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = ApiSchemas.Object(new JsonObject
                {
                    ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                    ["hostname"] = new JsonObject { ["type"] = "string" },
                    ["config_hash"] = new JsonObject { ["type"] = "string" },
                    ["expected_config_hash"] = new JsonObject { ["type"] = "string" },
                }),
            };
            return schema;
        }
    }

    private static async Task<IResult> StatusAsync(Guid controlPlane, StoredRollout rollout, NodeService nodes, CancellationToken ct)
    {
        var canaries = new List<Dictionary<string, object?>>();
        Guid? after = null;
        while (true)
        {
            var (page, more, _) = await nodes.ListAsync(controlPlane, NodePage, after, ct);
            canaries.AddRange(page.Where(v => rollout.Policy.IsCanary(v.Node)).Select(v => new Dictionary<string, object?>
            {
                ["id"] = v.Node.Id.ToString(),
                ["hostname"] = v.Node.Hostname,
                ["config_hash"] = v.Node.ConfigHash,
                ["expected_config_hash"] = v.ExpectedConfigHash,
            }));
            if (!more || page.Count == 0)
            {
                break;
            }
            after = page[^1].Node.Id;
        }
        var status = RolloutJson.Write(rollout);
        status["canary_nodes"] = canaries;
        return Results.Json(status, ApiJson.Options);
    }
}
