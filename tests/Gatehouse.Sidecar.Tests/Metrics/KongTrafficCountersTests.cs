using Gatehouse.Core.Analytics;
using Gatehouse.Sidecar.Metrics;
using Gatehouse.Testing.Kong;

namespace Gatehouse.Sidecar.Tests.Metrics;

/// <summary>Deltas between scrapes of Kong's counters: per service and status class, histogram buckets, and Kong's restarts.</summary>
public sealed class KongTrafficCountersTests
{
    private readonly KongTraffic _kong = new();
    private readonly KongTrafficCounters _counters = new();
    private long _accepted = 100;

    private ServiceTraffic Scrape() => _counters.Observe(PrometheusText.Parse(_kong.Exposition(Guid.Empty, _accepted += 10)), _accepted);

    [Fact]
    public void The_first_scrape_is_the_baseline_and_later_ones_count_what_happened_since()
    {
        _kong.Count("orders", 200, 50, 30);
        Assert.True(Scrape().IsEmpty);

        _kong.Count("orders", 200, 3, 30, route: "r1");
        _kong.Count("orders", 201, 2, 90, route: "r2");
        _kong.Count("orders", 404, 1, 20);
        _kong.Count("billing", 502, 4, 3000);
        _kong.Count("", 404, 6, 1);
        var delta = Scrape();

        var orders = delta.Services["orders"];
        Assert.Equal(5, orders.Of("2xx"));
        Assert.Equal(1, orders.Of("4xx"));
        Assert.Equal(6, orders.Requests);
        Assert.Equal(4, delta.Services["billing"].Of("5xx"));
        Assert.Equal(6, delta.Services[""].Of("4xx"));
        // Per bucket, not cumulative: 20 ms in le=25, 30 ms in le=50, 90 ms in le=100; Kong's other buckets are there, empty.
        Assert.Equal(new Dictionary<double, long> { [25] = 1, [50] = 3, [100] = 2 }, orders.Latency.Buckets.Where(b => b.Value > 0).ToDictionary());
        Assert.Equal([.. KongTraffic.RequestLatencyBuckets, double.PositiveInfinity], orders.Latency.Buckets.Keys);
        Assert.Equal(new Dictionary<double, long> { [5000] = 4 }, delta.Services["billing"].Latency.Buckets.Where(b => b.Value > 0).ToDictionary());

        Assert.True(Scrape().IsEmpty);
    }

    [Fact]
    public void A_counter_that_falls_means_Kong_restarted_and_every_counter_counts_from_zero()
    {
        _kong.Count("orders", 200, 100, 30);
        _kong.Count("billing", 200, 10, 30);
        Scrape();
        // Kong restarts: its counters start again, and orders has already served 3 more than billing had.
        var restarted = new KongTraffic();
        restarted.Count("orders", 200, 7, 30);
        restarted.Count("billing", 200, 13, 30);
        var delta = _counters.Observe(PrometheusText.Parse(restarted.Exposition(Guid.Empty, 1)), 500);
        Assert.Equal(7, delta.Services["orders"].Of("2xx"));
        // billing's 13 is above its 10 of before, but Kong restarted: all 13 are new.
        Assert.Equal(13, delta.Services["billing"].Of("2xx"));
        Assert.All(delta.Services.Values, t => Assert.All(t.Latency.Buckets.Values, count => Assert.True(count >= 0)));
    }

    [Fact]
    public void A_fall_in_connections_accepted_means_Kong_restarted_even_when_every_counter_rose()
    {
        _kong.Count("orders", 200, 5, 30);
        _counters.Observe(PrometheusText.Parse(_kong.Exposition(Guid.Empty, 0)), 1000);
        var restarted = new KongTraffic();
        restarted.Count("orders", 200, 8, 30);
        var delta = _counters.Observe(PrometheusText.Parse(restarted.Exposition(Guid.Empty, 0)), 12);
        Assert.Equal(8, delta.Services["orders"].Of("2xx"));
    }

    [Fact]
    public void A_series_that_appears_after_the_baseline_counts_whole()
    {
        _kong.Count("orders", 200, 5, 30);
        Scrape();
        _kong.Count("new", 500, 2, 30);
        var delta = Scrape();
        Assert.Equal(2, delta.Services["new"].Of("5xx"));
        Assert.False(delta.Services.ContainsKey("orders"));
    }

    [Fact]
    public void Negative_NaN_and_infinite_values_are_ignored()
    {
        _counters.Observe(PrometheusText.Parse("kong_http_requests_total{service=\"a\",code=\"200\"} 5"), null);
        var delta = _counters.Observe(PrometheusText.Parse("kong_http_requests_total{service=\"a\",code=\"200\"} NaN\nkong_http_requests_total{service=\"b\",code=\"200\"} -3\nkong_http_requests_total{service=\"c\",code=\"200\"} +Inf"), null);
        Assert.True(delta.IsEmpty);
    }
}
