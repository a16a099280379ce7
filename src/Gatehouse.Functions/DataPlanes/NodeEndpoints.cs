using Gatehouse.Core.Validation;
using Gatehouse.Functions.ControlPlanes;
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
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}/nodes");

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
        });

        group.MapGet("/{nodeId}", async (string controlPlaneId, string nodeId, NodeService nodes, CancellationToken ct) =>
            Results.Json(new { item = NodeJson.Write(await nodes.GetAsync(ControlPlaneId.Parse(controlPlaneId), ParseNodeId(nodeId), ct)) }, ApiJson.Options));

        group.MapDelete("/{nodeId}", async (string controlPlaneId, string nodeId, NodeService nodes, CancellationToken ct) =>
        {
            await nodes.DeleteAsync(ControlPlaneId.Parse(controlPlaneId), ParseNodeId(nodeId), ct);
            return Results.NoContent();
        });
    }

    private static Guid ParseNodeId(string value) => Guid.TryParseExact(value, "D", out var id)
        ? id
        : throw new NotFoundException($"No data plane node has the id '{(value.Length <= 64 ? value : value[..64] + "…")}': ids are UUIDs.");
}
