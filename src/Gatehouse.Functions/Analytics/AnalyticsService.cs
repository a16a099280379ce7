using Gatehouse.Core.Analytics;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Analytics;

/// <summary>
/// Answers analytics queries: a control plane's reports, or one node's, or a group's — its own
/// nodes' and every member's — summed into the query's buckets.
/// </summary>
internal sealed class AnalyticsService(IAnalyticsStore store, ControlPlaneService controlPlanes, IGroupMembershipStore memberships, AnalyticsRetention retention)
{
    public async Task<IReadOnlyList<AnalyticsBucket>> QueryAsync(Guid controlPlaneId, AnalyticsQuery query, Guid? nodeId, CancellationToken ct)
    {
        var controlPlane = await controlPlanes.GetAsync(controlPlaneId, ct);
        List<Guid> sources = [controlPlaneId];
        if (controlPlane.IsGroup)
        {
            sources.AddRange((await memberships.ReadAsync(ct)).MembersOf(controlPlaneId));
        }
        var reports = new List<NodeMinuteReport>();
        // Reports behind the horizon are no longer kept, though the sweep may not have deleted them yet.
        var from = query.Start < retention.Horizon ? retention.Horizon : query.Start;
        foreach (var source in sources)
        {
            await foreach (var report in store.ReadAsync(source, from, query.End, nodeId, ct))
            {
                reports.Add(report);
            }
        }
        return AnalyticsAggregation.Aggregate(query, reports);
    }

    /// <summary>Reads <c>from</c>, <c>to</c>, <c>granularity</c> and <c>node_id</c>, naming each that is wrong.</summary>
    public static (AnalyticsQuery Query, Guid? NodeId) ReadQuery(IQueryCollection parameters, DateTimeOffset now)
    {
        var errors = new List<InvalidParameter>();
        var granularity = Granularity.Minute;
        if (parameters["granularity"].ToString() is { Length: > 0 } text && !AnalyticsQuery.TryParseGranularity(text, out granularity))
        {
            errors.Add(new InvalidParameter("granularity", "must be one of minute, hour, day", "one_of"));
        }
        var to = Time(parameters, "to", errors) ?? now;
        var from = Time(parameters, "from", errors) ?? to - TimeSpan.FromHours(1);
        Guid? nodeId = null;
        if (parameters["node_id"].ToString() is { Length: > 0 } node)
        {
            if (Guid.TryParseExact(node, "D", out var id))
            {
                nodeId = id;
            }
            else
            {
                errors.Add(new InvalidParameter("node_id", "must be a UUID", "is_uuid"));
            }
        }
        if (errors.Count == 0 && from >= to)
        {
            errors.Add(new InvalidParameter("from", "must be before to", "before_to"));
        }
        var max = AnalyticsQuery.MaxRange(granularity);
        if (errors.Count == 0 && to - from > max)
        {
            errors.Add(new InvalidParameter("to", $"must be at most {max.TotalHours:0} hours after from with granularity {AnalyticsQuery.Name(granularity)}", "max_range"));
        }
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Invalid analytics query.", errors);
        }
        return (new AnalyticsQuery(from, to, granularity), nodeId);
    }

    private static DateTimeOffset? Time(IQueryCollection parameters, string name, List<InvalidParameter> errors)
    {
        if (parameters[name].ToString() is not { Length: > 0 } text)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var time)
            && text.IndexOf('T', StringComparison.Ordinal) is var t and > 0
            && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > t)
            && time.Year is >= 2000 and <= 9000)
        {
            return time.ToUniversalTime();
        }
        errors.Add(new InvalidParameter(name, "must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z", "is_date_time"));
        return null;
    }
}
