using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Import;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Versions;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// <c>/v2/control-planes/{id}/config-versions</c> (issue #14): every move of the snapshot pointer,
/// newest first (cursor paging, <c>page[size]</c> and <c>page[after]</c>, as the group memberships); <c>/{hash}</c>, that
/// version's document (JSON or YAML by Accept); <c>/{a}/diff/{b}</c>, the entity-level diff in the
/// import dry run's shape; and <c>POST /{hash}/restore</c>, which imports the version's document
/// (<c>?dry_run=true</c> answers the diff and writes nothing). Errors are problem+json.
/// </summary>
internal static class VersionEndpoints
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public static void MapConfigVersions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/control-planes/{controlPlaneId}/config-versions").WithErrorDialect(ErrorDialect.Problem).WithTags("Config Versions")
            .RequiresAccess(AccessRequirement.ControlPlaneRole);

        group.MapGet("", async (string controlPlaneId, HttpContext context, ControlPlaneService controlPlanes, IConfigVersionStore versions, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var (size, after) = PageCursor.ReadText(context.Request.Query, DefaultPageSize, MaxPageSize);
            long? before = after is null ? null : long.TryParse(after, out var number) ? number : throw InvalidCursor();
            await controlPlanes.GetAsync(id, ct);
            var (page, more) = await versions.ListVersionsAsync(id, size, before, ct);
            // As the group memberships page: meta.page.next is the next page's path, null on the last.
            var next = more ? PageCursor.Of(page[^1].Number.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
            var meta = new Dictionary<string, object?>
            {
                ["next"] = next is null ? null : $"/v2/control-planes/{id}/config-versions?page[size]={size}&page[after]={next}",
                ["size"] = size,
            };
            return Results.Json(new { meta = new { page = meta }, data = page.Select(Write) }, ApiJson.Options);
        })
            .WithSummary("The control plane's config versions, newest first: each move of its snapshot pointer, with the entities added, changed and " +
                "removed per type. page[size] (1 to 1000, default 100), page[after] (the previous page's page.next). Old versions are removed by " +
                "Gatehouse__Versions__Keep (50) and Gatehouse__Versions__KeepDays.")
            .Responds(200, "data, and meta.page.next (null on the last page)")
            .Responds(400, "Bad page[size] or page[after]")
            .Responds(404, "No such control plane");

        group.MapGet("/{hash}", async (string controlPlaneId, string hash, HttpContext context, ControlPlaneService controlPlanes, ISnapshotStore snapshots, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            var content = await ReadAsync(snapshots, id, hash, ct);
            context.Response.Headers.ETag = $"\"{hash}\"";
            return SnapshotEndpoints.Document(context, content);
        })
            .WithSummary("A version's document: Kong declarative config as the control plane's data planes were sent it (YAML with Accept: application/yaml).")
            .Responds(200, "The document")
            .Responds(404, "No such control plane, or no version with this hash");

        group.MapGet("/{hash}/diff/{other}", async (
            string controlPlaneId, string hash, string other, ControlPlaneService controlPlanes, ISnapshotStore snapshots, VersionDiff diff, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            await controlPlanes.GetAsync(id, ct);
            var from = Parse(await ReadAsync(snapshots, id, hash, ct));
            var to = Parse(await ReadAsync(snapshots, id, other, ct));
            var plan = await diff.BetweenAsync(id, from, to, ct);
            return Results.Json(new { from = hash, to = other, summary = ImportJson.Summary(plan), changes = ImportJson.Changes(plan) }, ApiJson.Options);
        })
            .WithSummary("What changes from the first version to the second, entity by entity (create, update with changed_fields, delete), " +
                "in the shape of a declarative import's dry run: what restoring the second would do to a control plane at the first.")
            .Responds(200, "from, to, summary, changes", ApiSchemas.Ref("ImportResult"))
            .Responds(404, "No such control plane, or no version with one of these hashes");

        group.MapPost("/{hash}/restore", async (
            string controlPlaneId, string hash, HttpContext context, ControlPlaneService controlPlanes, ISnapshotStore snapshots, ConfigImporter importer,
            ILoggerFactory loggers, CancellationToken ct) =>
        {
            var id = ControlPlaneId.Parse(controlPlaneId);
            var dryRun = ImportEndpoints.DryRun(context.Request.Query["dry_run"]);
            var controlPlane = await controlPlanes.GetAsync(id, ct);
            if (controlPlane.IsGroup)
            {
                throw new ConflictException(
                    $"Control plane {id} is a control plane group: its configuration is its members'. Restore the member control planes' versions instead.");
            }
            var document = Parse(await ReadAsync(snapshots, id, hash, ct));
            // The declarative import: one new revision, ids and created_at kept, recorded as a version like any change.
            var result = await importer.ImportAsync(id, document, dryRun, ct);
            if (result.Applied)
            {
                loggers.CreateLogger(typeof(VersionEndpoints)).LogInformation(
                    "Restored version {Hash} of {ControlPlaneId}: {Changes} change(s), now at revision {Revision}", hash, id, result.Plan.Changes.Count, result.Revision);
            }
            return Results.Json(ImportJson.Result(result, dryRun), ApiJson.Options);
        })
            .WithSummary("Make the control plane's entities those of this version, through the declarative import (one new revision; ids and created_at " +
                "survive). ?dry_run=true answers the diff and writes nothing. A control plane group cannot be restored: restore its members.")
            .WithParameter(ApiSchemas.Query("dry_run", new JsonObject { ["type"] = "boolean", ["default"] = false }, required: false, "true: answer the diff and write nothing."))
            .Responds(200, "Restored (or, with dry_run, what would be)", ApiSchemas.Ref("ImportResult"))
            .Responds(404, "No such control plane, or no version with this hash")
            .Responds(409, "A control plane group, or another import is being applied");

        group.MapUnmatched();
    }

    private static object Write(ConfigVersion version) => new
    {
        hash = version.Hash,
        version = version.Number,
        revision = version.Revision,
        created_at = ApiJson.Timestamp(version.CreatedAt),
        created_by = version.Principal,
        changes = version.Changes.ToDictionary(c => c.Key, c => new { added = c.Value.Added, changed = c.Value.Changed, removed = c.Value.Removed }),
    };

    /// <summary>A version's snapshot. Hashes are hex, so anything else names none (and never a blob outside the control plane's).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadAsync(ISnapshotStore snapshots, Guid controlPlane, string hash, CancellationToken ct) =>
        hash.Length is > 0 and <= 64 && hash.All(char.IsAsciiHexDigitLower)
        && await snapshots.ReadSnapshotAsync(controlPlane, hash, ct) is { } content
            ? content
            : throw new NotFoundException($"Control plane {controlPlane} has no config version with the hash '{(hash.Length <= 64 ? hash : hash[..64] + "…")}'.");

    private static JsonObject Parse(ReadOnlyMemory<byte> content) => JsonNode.Parse(content.Span)!.AsObject();

    private static RequestInvalidException InvalidCursor() =>
        new("Invalid page cursor.", [new InvalidParameter("page[after]", "is not a cursor this API gave out", "invalid")]);
}
