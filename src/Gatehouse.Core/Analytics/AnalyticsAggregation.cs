namespace Gatehouse.Core.Analytics;

/// <summary>One bucket of an answer: its start, all traffic in it, and the traffic per known service.</summary>
public sealed record AnalyticsBucket(DateTimeOffset Start, Traffic Total, IReadOnlyDictionary<string, Traffic> Services);

/// <summary>
/// Sums stored per-minute reports into the buckets a query asks for. Every bucket of the range is
/// present, empty ones included, so a chart's time axis has no gaps. Requests no service took count
/// in the totals and in no service.
/// </summary>
public static class AnalyticsAggregation
{
    public static IReadOnlyList<AnalyticsBucket> Aggregate(AnalyticsQuery query, IEnumerable<NodeMinuteReport> reports)
    {
        var width = query.BucketWidth;
        var start = query.Start;
        var count = (int)((query.End - start).Ticks / width.Ticks);
        var totals = new Traffic[count];
        var services = new SortedDictionary<string, Traffic>[count];
        for (var i = 0; i < count; i++)
        {
            totals[i] = new Traffic();
            services[i] = new SortedDictionary<string, Traffic>(StringComparer.Ordinal);
        }
        foreach (var report in reports)
        {
            var index = (report.Minute.ToUniversalTime() - start).Ticks / width.Ticks;
            if (report.Minute < start || index >= count)
            {
                continue;
            }
            foreach (var (service, traffic) in report.Traffic.Services)
            {
                totals[index].Add(traffic);
                if (service != ServiceTraffic.NoService)
                {
                    if (!services[index].TryGetValue(service, out var sum))
                    {
                        services[index][service] = sum = new Traffic();
                    }
                    sum.Add(traffic);
                }
            }
        }
        return [.. Enumerable.Range(0, count).Select(i => new AnalyticsBucket(start + (width * i), totals[i], services[i]))];
    }

    /// <summary>The traffic of all buckets together.</summary>
    public static Traffic Sum(IEnumerable<AnalyticsBucket> buckets)
    {
        var sum = new Traffic();
        foreach (var bucket in buckets)
        {
            sum.Add(bucket.Total);
        }
        return sum;
    }

    /// <summary>The share of requests in <paramref name="statusClass"/>; 0 with no requests.</summary>
    public static double Rate(Traffic traffic, string statusClass) =>
        traffic.Requests == 0 ? 0 : (double)traffic.Of(statusClass) / traffic.Requests;
}
