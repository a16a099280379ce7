using System.Globalization;
using Gatehouse.Core.Analytics;

namespace Gatehouse.Core.Tests.Analytics;

/// <summary>Per-minute, per-node reports summed into minute, hour and day buckets.</summary>
public sealed class AnalyticsAggregationTests
{
    private static readonly Guid s_nodeA = Guid.NewGuid();
    private static readonly Guid s_nodeB = Guid.NewGuid();

    private static DateTimeOffset T(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static NodeMinuteReport Report(Guid node, string minute, string service, string statusClass, long count, double le)
    {
        var traffic = new ServiceTraffic();
        traffic.For(service).AddRequests(statusClass, count);
        traffic.For(service).Latency.Add(le, count);
        return new NodeMinuteReport(node, T(minute), 1, traffic);
    }

    private static readonly NodeMinuteReport[] s_reports =
    [
        Report(s_nodeA, "2026-12-03T10:00:00Z", "orders", "2xx", 90, 25),
        Report(s_nodeB, "2026-12-03T10:00:00Z", "orders", "5xx", 10, 400),
        Report(s_nodeA, "2026-12-03T10:01:00Z", "billing", "4xx", 5, 50),
        Report(s_nodeA, "2026-12-03T10:01:00Z", "", "4xx", 3, 1),
        Report(s_nodeB, "2026-12-03T11:30:00Z", "orders", "2xx", 7, 25),
        Report(s_nodeB, "2026-12-03T09:59:00Z", "orders", "2xx", 1000, 25),
    ];

    [Fact]
    public void Minute_buckets_sum_every_node_and_list_empty_minutes_too()
    {
        var query = new AnalyticsQuery(T("2026-12-03T10:00:00Z"), T("2026-12-03T10:03:00Z"), Granularity.Minute);
        var buckets = AnalyticsAggregation.Aggregate(query, s_reports);
        Assert.Equal([T("2026-12-03T10:00:00Z"), T("2026-12-03T10:01:00Z"), T("2026-12-03T10:02:00Z")], buckets.Select(b => b.Start));
        Assert.Equal(100, buckets[0].Total.Requests);
        Assert.Equal(0.1, AnalyticsAggregation.Rate(buckets[0].Total, "5xx"));
        Assert.Equal(212.5, buckets[0].Total.Latency.Quantile(0.95));
        Assert.Equal(8, buckets[1].Total.Requests);
        // Requests no service took count in the total, in no service.
        Assert.Equal(["billing"], buckets[1].Services.Keys);
        Assert.Equal(0, buckets[2].Total.Requests);
        Assert.Equal(0, AnalyticsAggregation.Rate(buckets[2].Total, "4xx"));
        Assert.Null(buckets[2].Total.Latency.Quantile(0.95));
    }

    [Fact]
    public void Hour_and_day_buckets_floor_from_and_ceil_to()
    {
        var hours = AnalyticsAggregation.Aggregate(new AnalyticsQuery(T("2026-12-03T10:20:00Z"), T("2026-12-03T11:10:00Z"), Granularity.Hour), s_reports);
        Assert.Equal([T("2026-12-03T10:00:00Z"), T("2026-12-03T11:00:00Z")], hours.Select(b => b.Start));
        Assert.Equal(108, hours[0].Total.Requests);
        Assert.Equal(7, hours[1].Total.Requests);
        Assert.Equal(115, AnalyticsAggregation.Sum(hours).Requests);

        var days = AnalyticsAggregation.Aggregate(new AnalyticsQuery(T("2026-12-03T10:00:00Z"), T("2026-12-03T12:00:00Z"), Granularity.Day), s_reports);
        Assert.Equal(1115, Assert.Single(days).Total.Requests);
        Assert.Equal(1107, days[0].Services["orders"].Requests);
    }

    [Fact]
    public void Reports_outside_the_range_are_left_out()
    {
        var buckets = AnalyticsAggregation.Aggregate(new AnalyticsQuery(T("2026-12-03T10:01:00Z"), T("2026-12-03T10:02:00Z"), Granularity.Minute), s_reports);
        Assert.Equal(8, Assert.Single(buckets).Total.Requests);
    }

    [Fact]
    public void Traffic_survives_its_json_round_trip()
    {
        var traffic = new ServiceTraffic();
        traffic.Add(s_reports[0].Traffic);
        traffic.Add(s_reports[3].Traffic);
        var back = TrafficJson.Read(TrafficJson.Write(traffic));
        Assert.Equal(TrafficJson.Write(traffic), TrafficJson.Write(back));
        Assert.Equal(93, back.Total().Requests);
        Assert.Equal(90, back.Services["orders"].Latency.Buckets[25]);
    }
}
