using System.Text.Json.Nodes;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Analytics;

/// <summary>
/// <c>GET /v2/control-planes/{id}/analytics</c>: the traffic the control plane's nodes reported (a
/// group's: its own nodes' and its members'), per time bucket. Reading it needs what reading the
/// nodes list needs.
/// </summary>
internal static class AnalyticsEndpoints
{
    public static void MapAnalytics(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}/analytics").WithErrorDialect(ErrorDialect.Legacy).WithTags("Analytics")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);
        var error = ApiSchemas.LegacyError;

        group.MapGet("", async (string controlPlaneId, HttpContext context, AnalyticsService analytics, TimeProvider clock, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var (query, nodeId) = AnalyticsService.ReadQuery(context.Request.Query, clock.GetUtcNow());
            var buckets = await analytics.QueryAsync(id, query, nodeId, ct);
            return Results.Json(AnalyticsJson.Write(id, query, nodeId, buckets), ApiJson.Options);
        })
            .WithSummary("Traffic the control plane's nodes reported with their heartbeats (a group's: its own nodes' and every member's), per time bucket: " +
                "requests, by status class, 4xx and 5xx rates, and p95 latency (Kong's request latency, estimated from its histogram as Prometheus's histogram_quantile does), " +
                "in all and per service. Every bucket of the range is listed, empty ones too. Kept for Gatehouse__Analytics__RetentionDays (7).")
            .WithParameter(ApiSchemas.Query("from", new JsonObject { ["type"] = "string", ["format"] = "date-time" }, required: false,
                "Start (RFC 3339), floored to the granularity; default an hour before to"))
            .WithParameter(ApiSchemas.Query("to", new JsonObject { ["type"] = "string", ["format"] = "date-time" }, required: false,
                "End (RFC 3339), ceiled to the granularity; default now. At most 24 hours after from by the minute, 31 days by the hour, 366 days by the day"))
            .WithParameter(ApiSchemas.Query("granularity", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("minute", "hour", "day") }, required: false,
                "Bucket width, aligned to UTC; default minute"))
            .WithParameter(ApiSchemas.Query("node_id", new JsonObject { ["type"] = "string", ["format"] = "uuid" }, required: false,
                "Only this node's traffic"))
            .Responds(200, "The buckets, and the total over the range", AnalyticsSchemas.Answer)
            .Responds(400, "A bad from, to, granularity or node_id, or too long a range; the message names the field", error)
            .Responds(404, "No such control plane", error);

        group.MapUnmatched();
    }
}
