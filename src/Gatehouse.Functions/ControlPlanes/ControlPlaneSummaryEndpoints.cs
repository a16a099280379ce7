using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.ControlPlanes;

/// <summary>
/// <c>GET /v2/control-planes-summary</c>, Gatehouse's extension: a page of control planes exactly
/// as <c>GET /v2/control-planes</c> answers it (same query, same visibility, same paging), each with
/// <c>node_counts</c> and, for a group, <c>group_status</c>, so that an overview needs one request
/// per page instead of one per control plane or per node. Its own path keeps Konnect's list as
/// Konnect spells it, and cannot be taken for a control plane id.
/// </summary>
internal static class ControlPlaneSummaryEndpoints
{
    public const string Path = "/v2/control-planes-summary";

    public static void MapControlPlaneSummaries(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithErrorDialect(ErrorDialect.Problem).WithTags("Control Planes")
            .RequiresAccess(AccessRequirement.FilteredByEndpoint);

        group.MapGet("", async (HttpContext context, ControlPlaneService service, ControlPlaneSummaries summaries, CancellationToken ct) =>
        {
            var (query, page, total) = await ControlPlaneEndpoints.ListVisibleAsync(context, service, ct);
            var publicUrl = PublicUrl.Of(context);
            var summarized = await summaries.SummarizeAsync(page, context.Principal(), ct);
            return Results.Json(new
            {
                meta = new { page = new { number = query.PageNumber, size = query.PageSize, total } },
                data = summarized.Select(s => Write(s, publicUrl)),
            }, ApiJson.Options);
        })
            .WithSummary("Gatehouse's extension: the control planes GET /v2/control-planes lists (same query parameters, visibility and paging), each with " +
                "node_counts (its live data plane nodes by config_sync_status and by compatibility_status.state, as the node list judges them) and, for a group, " +
                "group_status (state and conflicts_count). Both are null where the caller may not read them (Viewer or Admin on the control plane).")
            .Responds(200, "A page of control planes with meta.page, each with node_counts and group_status", SummaryPage)
            .Responds(400, "Invalid query parameters");

        group.MapUnmatched();
    }

    private static Dictionary<string, object?> Write(ControlPlaneSummary summary, string publicUrl)
    {
        var item = ControlPlaneJson.Write(summary.ControlPlane, publicUrl);
        item["node_counts"] = summary.Nodes is { } nodes ? Write(nodes) : null;
        item["group_status"] = summary.GroupStatus is { } status
            ? new Dictionary<string, object?> { ["state"] = status.State, ["conflicts_count"] = status.Conflicts.Count }
            : null;
        return item;
    }

    private static Dictionary<string, object?> Write(NodeCounts counts) => new()
    {
        ["total_count"] = counts.Total,
        ["config_sync_status"] = new Dictionary<string, int> { [NodeView.InSync] = counts.InSync, [NodeView.OutOfSync] = counts.OutOfSync },
        ["compatibility_status"] = counts.ByCompatibility,
    };

    private static JsonObject Count => new() { ["type"] = "integer", ["minimum"] = 0 };

    private static JsonObject SummaryPage => ApiSchemas.Object(new JsonObject
    {
        ["meta"] = ApiSchemas.Object(new JsonObject
        {
            ["page"] = ApiSchemas.Object(new JsonObject { ["number"] = Count, ["size"] = Count, ["total"] = Count }),
        }),
        ["data"] = new JsonObject
        {
            ["type"] = "array",
            ["items"] = ApiSchemas.Object(new JsonObject
            {
                ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                ["name"] = new JsonObject { ["type"] = "string" },
                ["node_counts"] = new JsonObject
                {
                    ["type"] = "object",
                    ["nullable"] = true,
                    ["properties"] = new JsonObject
                    {
                        ["total_count"] = Count,
                        ["config_sync_status"] = ApiSchemas.Object(new JsonObject { [NodeView.InSync] = Count, [NodeView.OutOfSync] = Count }),
                        ["compatibility_status"] = ApiSchemas.Object(new JsonObject(NodeCounts.CompatibilityStates.Select(s => KeyValuePair.Create(s, (JsonNode?)Count)))),
                    },
                },
                ["group_status"] = new JsonObject
                {
                    ["type"] = "object",
                    ["nullable"] = true,
                    ["properties"] = new JsonObject
                    {
                        ["state"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(GroupStatus.Ok, GroupStatus.Conflict, GroupStatus.Unknown) },
                        ["conflicts_count"] = Count,
                    },
                },
            }),
        },
    });
}
