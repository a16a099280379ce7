using System.Globalization;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// <c>GET /v2/audit-logs</c>: the audit log, newest first, for the organization admin. Konnect only
/// delivers its audit log to webhooks; this list is Gatehouse's own, in Konnect's list conventions
/// (deepObject filters, <c>page[size]</c>, <c>meta.page</c>) with cursor paging, as a log that grows
/// while it is read needs.
/// </summary>
internal static class AuditEndpoints
{
    public const string Path = "/v2/audit-logs";
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public static void MapAuditLogs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithErrorDialect(ErrorDialect.Problem).WithTags("Audit Logs")
            .RequiresAccess(AccessRequirement.OrganizationAdmin);

        group.MapGet("", ListAsync)
            .WithSummary("List audit entries, newest first: filter[principal_id], filter[control_plane_id], filter[action] (each [eq] or bare), " +
                "filter[rt][gte] and filter[rt][lte] (RFC 3339; by default the retention, Gatehouse__Audit__RetentionDays), " +
                "page[size] (1 to 1000, default 100), page[after] (the previous page's meta.page.next). Organization admin only.")
            .Responds(200, "data (entries) and meta.page.size, meta.page.next (null on the last page)")
            .Responds(400, "Invalid filter or page parameter");
        group.MapUnmatched();
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, IAuditLog log, AuditRecordsInFlight inFlight, AuditSettings settings, TimeProvider clock, CancellationToken ct)
    {
        var query = Parse(context.Request.Query, settings, clock.GetUtcNow());
        // Changes answered here a moment ago are still being recorded: a client reading its own change finds it.
        await inFlight.WaitAsync(TimeSpan.FromSeconds(5), ct);
        var page = await log.ListAsync(query, ct);
        string? next = null;
        if (page.Next is { } cursor)
        {
            var rest = context.Request.Query
                .Where(q => q.Key != "page[after]")
                .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"page[after]={Cursor(cursor)}");
            next = $"{Path}?{string.Join('&', rest)}";
        }
        return Results.Json(new
        {
            meta = new { page = new Dictionary<string, object?> { ["size"] = query.PageSize, ["next"] = next } },
            data = page.Entries.Select(AuditJson.Write),
        }, ApiJson.Options);
    }

    private static AuditQuery Parse(IQueryCollection query, AuditSettings settings, DateTimeOffset now)
    {
        var errors = new List<InvalidParameter>();
        string? Text(string field) =>
            query.TryGetValue($"filter[{field}][eq]", out var eq) && eq.ToString().Length > 0 ? eq.ToString()
            : query.TryGetValue($"filter[{field}]", out var bare) && bare.ToString().Length > 0 ? bare.ToString()
            : null;
        DateTimeOffset? Time(string op)
        {
            var field = $"filter[rt][{op}]";
            if (!query.TryGetValue(field, out var text) || text.ToString().Length == 0)
            {
                return null;
            }
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }
            errors.Add(new InvalidParameter(field, "must be an RFC 3339 date-time", "is_date_time"));
            return null;
        }

        var controlPlaneText = Text("control_plane_id");
        Guid? controlPlane = null;
        if (controlPlaneText is not null)
        {
            if (Guid.TryParseExact(controlPlaneText, "D", out var id))
            {
                controlPlane = id;
            }
            else
            {
                errors.Add(new InvalidParameter("filter[control_plane_id]", "must be a valid UUID", "is_uuid"));
            }
        }
        var from = Time("gte") ?? now - settings.Retention;
        var to = Time("lte") ?? now;
        if (from > to)
        {
            errors.Add(new InvalidParameter("filter[rt][gte]", "must not be after filter[rt][lte]", "invalid"));
        }
        var (size, after) = PageCursor.ReadText(query, DefaultPageSize, MaxPageSize);
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Request contains invalid query parameters.", errors);
        }
        return new AuditQuery(from, to, Text("principal_id"), controlPlane, Text("action"), size, after is null ? null : ParseCursor(after));
    }

    // The cursor is the last entry's time (UTC ticks) and id; clients get it opaque (base64url).
    private static string Cursor(AuditCursor cursor) =>
        PageCursor.Of(cursor.Time.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + cursor.Id.ToString("N"));

    private static AuditCursor ParseCursor(string text) =>
        text.Split('|') is [var ticks, var id] && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            && t >= DateTimeOffset.MinValue.UtcTicks && t <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(id, "N", out var entry)
            ? new AuditCursor(new DateTimeOffset(t, TimeSpan.Zero), entry)
            : throw new RequestInvalidException("Invalid page cursor.", [new InvalidParameter("page[after]", "is not a cursor this API gave out", "invalid")]);
}
