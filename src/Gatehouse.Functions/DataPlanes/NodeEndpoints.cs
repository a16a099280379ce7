using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// <c>/v2/control-planes/{id}/nodes</c> (cursor paging: <c>page[size]</c>, <c>page[after]</c>)
/// and <c>/nodes/{nodeId}</c> (GET, DELETE), in Konnect's shapes with <c>{"message"}</c> errors.
/// Deleting a node forgets it; its next heartbeat records it again, as in Konnect.
/// </summary>
internal static class NodeEndpoints
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public static void MapNodes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}/nodes").WithErrorDialect(ErrorDialect.Legacy).WithTags("DP Nodes")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);
        var error = ApiSchemas.LegacyError;

        group.MapGet("", async (string controlPlaneId, HttpContext context, NodeService nodes, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var (size, after) = PageCursor.Read(context.Request.Query, DefaultPageSize, MaxPageSize);
            var (page, more, total) = await nodes.ListAsync(id, size, after, ct);
            var meta = new Dictionary<string, object?> { ["total_count"] = total };
            if (more)
            {
                // The spec's next is a string: absent, not null, on the last page.
                meta["next"] = PageCursor.Of(page[^1].Node.Id);
            }
            return Results.Json(new { items = page.Select(NodeJson.Write), page = meta }, ApiJson.Options);
        })
            .WithSummary("List the control plane's data plane nodes, in id order: page[size] (1 to 1000, default 100), page[after] (the previous page's page.next). " +
                "Nodes unseen for Gatehouse__DataPlane__NodeRetentionHours (24) are removed.")
            .Responds(200, "items, page.total_count, and page.next unless this is the last page", DataPlaneSchemas.NodePage)
            .Responds(400, "Bad page[size] or page[after]", error)
            .Responds(404, "No such control plane", error);

        group.MapGet("/{nodeId}", async (string controlPlaneId, string nodeId, NodeService nodes, CancellationToken ct) =>
            Results.Json(new { item = NodeJson.Write(await nodes.GetAsync(ControlPlaneId.Parse(controlPlaneId), ParseNodeId(nodeId), ct)) }, ApiJson.Options))
            .WithSummary("Get a node, with its compatibility with the current config.")
            .Responds(200, "The node", DataPlaneSchemas.NodeItem)
            .Responds(404, "Not found", error);

        group.MapDelete("/{nodeId}", async (string controlPlaneId, string nodeId, NodeService nodes, CancellationToken ct) =>
        {
            await nodes.DeleteAsync(ControlPlaneId.Parse(controlPlaneId), ParseNodeId(nodeId), ct);
            return Results.NoContent();
        })
            .WithSummary("Forget a node. It is not banned: its next heartbeat records it again (unpin its certificate to ban it).")
            .Responds(204, "Deleted")
            .Responds(404, "Not found", error);

        group.MapUnmatched();
    }

    private static Guid ParseNodeId(string value) => Guid.TryParseExact(value, "D", out var id)
        ? id
        : throw new NotFoundException($"No data plane node has the id '{(value.Length <= 64 ? value : value[..64] + "…")}': ids are UUIDs.");
}
