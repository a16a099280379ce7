using System.Text.Json.Nodes;
using Gatehouse.Core.Analytics;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;
using Gatehouse.Functions.Rollouts;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// The data plane API, Gatehouse's own (documented in the README): <c>GET /v1/dp/config</c>,
/// <c>POST /v1/dp/heartbeat</c> and <c>POST /v1/dp/negotiate</c>. The control plane is the one the client certificate is
/// pinned to (<see cref="DataPlaneAuthenticationMiddleware"/>); no URL names it, so a data
/// plane cannot ask for another's config.
/// </summary>
internal static class DataPlaneEndpoints
{
    public const string Prefix = "/v1/dp";

    public static void MapDataPlaneApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix)
            .WithErrorDialect(ErrorDialect.Legacy)
            .WithOpenApiSecurity(OpenApiSecurity.DataPlaneCertificate)
            .WithTags("Data plane API");
        var error = ApiSchemas.LegacyError;

        group.MapGet("/config", async (HttpContext context, SnapshotReader snapshots, DataPlanePointers pointers, NodeService nodes,
            RolloutService rollouts, SnapshotEncodings encodings, ILoggerFactory logs, CancellationToken ct) =>
        {
            var identity = context.DataPlaneIdentity();
            var nodeId = NodeId(context.Request.Query["node_id"].ToString());
            var factsHash = FactsHash(context.Request.Query["node_facts_hash"].ToString());
            var newest = await pointers.CurrentAsync(identity.ControlPlaneId, ct);
            var rollout = await rollouts.ObserveAsync(identity.ControlPlaneId, newest, ct);
            // While a canary bakes, which config the node gets depends on the node (its labels, its id).
            var found = RolloutTargets.NeedsNode(rollout) ? await nodes.FindForConfigAsync(identity.ControlPlaneId, nodeId, factsHash, ct) : null;
            var pointer = RolloutTargets.For(newest, rollout, found);
            var etag = $"\"{pointer.Hash}\"";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.Vary = "Accept-Encoding";
            // Answered from the pointer row (and the rollout's) alone: the node already runs this config.
            if (IfNoneMatch.Matches(context.Request, etag))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            if ((found ?? await nodes.FindForConfigAsync(identity.ControlPlaneId, nodeId, factsHash, ct)) is { } node)
            {
                var status = await nodes.CompatibilityAsync(identity.ControlPlaneId, pointer, node, ct);
                if (status.IsIncompatible)
                {
                    logs.CreateLogger("Gatehouse.DataPlanes.Config").LogWarning(
                        "Withheld config {ConfigHash} from incompatible node {NodeId} of control plane {ControlPlaneId}: {Codes}",
                        pointer.Hash, nodeId, identity.ControlPlaneId, string.Join(", ", status.Issues.Select(i => i.Code)));
                    context.Response.Headers.Remove("ETag");
                    return Results.Json(new
                    {
                        message = $"Node {nodeId} cannot run this control plane's configuration: {string.Join(" ", status.Issues.Select(i => i.Description))}",
                        compatibility_status = NodeJson.Write(status),
                    }, ApiJson.Options, statusCode: StatusCodes.Status409Conflict);
                }
            }

            Task<ReadOnlyMemory<byte>> Content() => snapshots.ContentAsync(identity.ControlPlaneId, pointer, ct);
            var encoding = SnapshotEncodings.Choose(context.Request);
            if (encoding is null)
            {
                return Results.Bytes(await Content(), "application/json");
            }
            var encoded = await encodings.GetAsync(identity.ControlPlaneId, pointer.Hash, encoding, Content, ct);
            context.Response.Headers.ContentEncoding = encoding;
            return Results.Bytes(encoded, "application/json");
        })
            .WithSummary("The current snapshot of the control plane (or group) the client certificate is pinned to — during a staged rollout, the one the " +
                "rollout serves this node (canary or stable). ETag is the config hash; If-None-Match with it answers 304 " +
                "without reading the snapshot. Accept-Encoding br or gzip gets it precompressed. A node that is incompatible (see its heartbeat answer) gets 409.")
            .WithParameter(DataPlaneSchemas.NodeIdQuery)
            .WithParameter(DataPlaneSchemas.NodeFactsHashQuery)
            .WithParameter(DataPlaneSchemas.IfNoneMatchHeader)
            .Responds(200, "Kong declarative configuration (_format_version 3.0)", new JsonObject { ["type"] = "object" })
            .Responds(304, "Unchanged")
            .Responds(400, "node_id missing or not a UUID, or node_facts_hash malformed", error)
            .Responds(401, DataPlaneSchemas.Refused, error)
            .Responds(409, "The node cannot run this config", DataPlaneSchemas.Incompatible);

        group.MapPost("/heartbeat", async (HttpContext context, NodeService nodes, AnalyticsRecorder analytics, ILoggerFactory logs, CancellationToken ct) =>
        {
            var (report, metrics) = HeartbeatJson.ReadWithMetrics(await RequestBody.ReadObjectAsync(context.Request, ct));
            var identity = context.DataPlaneIdentity();
            // Before the node: a failure here fails the heartbeat, and the sidecar sends the same report again.
            if (metrics is not null && !await analytics.RecordAsync(identity.ControlPlaneId, report.NodeId, metrics, ct))
            {
                logs.CreateLogger("Gatehouse.Analytics").LogWarning(
                    "Node {NodeId} of control plane {ControlPlaneId} reported traffic sampled at {At}, outside what is kept or ahead of this clock: not recorded",
                    report.NodeId, identity.ControlPlaneId, metrics.At);
            }
            var view = await nodes.HeartbeatAsync(identity, report, ct);
            return Results.Json(new
            {
                node_id = view.Node.Id.ToString(),
                expected_config_hash = view.ExpectedConfigHash,
                config_sync_status = view.SyncStatus,
                compatibility_status = NodeJson.Write(view.Compatibility),
            }, ApiJson.Options);
        })
            .WithSummary("Record the node (upsert, last_ping = now) and the traffic its optional metrics report (once per node and metrics.sequence), " +
                "and answer what it should run: the expected config hash, whether it runs it, and its compatibility.")
            .WithRequestBody(ApiSchemas.Ref("Heartbeat"))
            .Responds(200, "The node's view", DataPlaneSchemas.HeartbeatAnswer)
            .Responds(400, "Invalid heartbeat; the message names each field", error)
            .Responds(401, DataPlaneSchemas.Refused, error)
            .Responds(413, "Body over 1 MB", error);

        // Where the node listens for pushes: SignalR's negotiate redirect ({url, accessToken}), for
        // the in-process hub or Azure SignalR Service alike, scoped to the certificate's control plane.
        group.MapPost("/negotiate", async (HttpContext context, IDataPlaneNegotiator negotiator, CancellationToken ct) =>
        {
            var nodeId = NodeId(context.Request.Query["node_id"].ToString());
            var hub = await negotiator.NegotiateAsync(context.DataPlaneIdentity().ControlPlaneId, nodeId.ToString(), ct);
            context.Response.Headers.CacheControl = "no-store";
            // SignalR's own names (camelCase accessToken), which the API's snake_case policy would rewrite.
            return Results.Text(System.Text.Json.JsonSerializer.Serialize(new { url = hub.Url, accessToken = hub.AccessToken }), "application/json");
        })
            .WithSummary("SignalR's negotiate redirect: the hub URL and an access token for this control plane's push group (listen only).")
            .WithParameter(DataPlaneSchemas.NodeIdQuery)
            .Responds(200, "{url, accessToken}", DataPlaneSchemas.NegotiateAnswer)
            .Responds(400, "node_id missing or not a UUID", error)
            .Responds(401, DataPlaneSchemas.Refused, error);

        group.MapUnmatched();
    }

    /// <summary>
    /// The hash of the facts (Kong version, plugins) the node last sent in its heartbeat
    /// (<see cref="NodeFacts.Hash(string, IEnumerable{NodePlugin})"/>): optional, lets the config be
    /// judged without reading the node.
    /// </summary>
    private static string? FactsHash(string text) => text.Length == 0
        ? null
        : HeartbeatJson.Hash().IsMatch(text)
            ? text
            : throw new RequestInvalidException("Invalid node_facts_hash.", [new InvalidParameter("node_facts_hash",
                "must be 32 lowercase hex digits: the hash of the Kong version and plugins the node's heartbeat sends", "is_hash")]);

    /// <summary>Which node asks, as Kong's <c>/v1/outlet?node_id=</c> says it: required, a UUID.</summary>
    private static Guid NodeId(string text) => Guid.TryParseExact(text, "D", out var id)
        ? id
        : throw new RequestInvalidException("Invalid node_id.", [new InvalidParameter("node_id", "is required: the node's id (a UUID), as its heartbeats send it", "is_uuid")]);
}
