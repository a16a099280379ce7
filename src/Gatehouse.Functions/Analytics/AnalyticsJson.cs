using Gatehouse.Core.Analytics;

namespace Gatehouse.Functions.Analytics;

/// <summary>The analytics answer: per bucket, and over the whole range, requests, their classes, 4xx and 5xx rates and p95 latency.</summary>
internal static class AnalyticsJson
{
    public static object Write(Guid controlPlaneId, AnalyticsQuery query, Guid? nodeId, IReadOnlyList<AnalyticsBucket> buckets) => new
    {
        control_plane_id = controlPlaneId.ToString(),
        node_id = nodeId?.ToString(),
        granularity = AnalyticsQuery.Name(query.Granularity),
        from = query.Start,
        to = query.End,
        total = Figures(AnalyticsAggregation.Sum(buckets)),
        data = buckets.Select(bucket => new
        {
            timestamp = bucket.Start,
            figures = Figures(bucket.Total),
            services = bucket.Services.Select(service => new { name = service.Key, figures = Figures(service.Value) }),
        }),
    };

    private static object Figures(Traffic traffic) => new
    {
        requests = traffic.Requests,
        status_classes = StatusClass.All.ToDictionary(c => c, traffic.Of),
        error_rate_4xx = AnalyticsAggregation.Rate(traffic, "4xx"),
        error_rate_5xx = AnalyticsAggregation.Rate(traffic, "5xx"),
        latency_p95_ms = traffic.Latency.Quantile(0.95),
        latency_observations = traffic.Latency.Count,
    };
}
