using System.Globalization;
using System.Net;
using System.Text.Json;
using Gatehouse.Core.Analytics;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Tests.DataPlanes;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Analytics;

/// <summary>
/// Heartbeats' traffic through the data plane API into <c>GET /v2/control-planes/{id}/analytics</c>:
/// a retried report counted once, old heartbeats without metrics still taken, bad input refused
/// naming the field, and retention's sweep.
/// </summary>
public sealed class AnalyticsApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Now => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static string WithMetrics(Guid node, long sequence, string at, string services) =>
        DataPlaneKit.Heartbeat(node)[..^1] + $$$""","metrics":{"sequence":{{{sequence}}},"at":"{{{at}}}","services":{{{services}}}}}""";

    private static async Task<JsonElement> TotalAsync(DataPlaneKit kit, Guid controlPlane, string query = "") =>
        (await (await kit.Admin.GetAsync($"/v2/control-planes/{controlPlane}/analytics{query}", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("total");

    [Fact]
    public async Task A_report_sent_again_counts_once_and_a_grown_one_replaces_it()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("analytics-retry");
        var (dp, _) = await kit.ConnectAsync(cp);
        var node = Guid.NewGuid();
        var at = Now;

        // A sidecar before analytics sends no metrics: still taken.
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node))).ExpectAsync(HttpStatusCode.OK);
        var report = WithMetrics(node, 7, at, """[{"service":"orders","requests":{"2xx":9,"5xx":1},"latency_ms":{"25":8,"400":2}}]""");
        for (var delivery = 0; delivery < 3; delivery++)
        {
            await (await dp.PostJsonAsync("/v1/dp/heartbeat", report)).ExpectAsync(HttpStatusCode.OK);
        }
        var total = await TotalAsync(kit, cp);
        Assert.Equal(10, total.GetProperty("requests").GetInt64());
        Assert.Equal(0.1, total.GetProperty("error_rate_5xx").GetDouble());
        Assert.Equal(10, total.GetProperty("latency_observations").GetInt64());
        // Rank 9.5 is the 1.5th of the 2 in (25, 400]: 25 + 375 × 1.5/2.
        Assert.Equal(306.25, total.GetProperty("latency_p95_ms").GetDouble());

        // Its heartbeat failed, more traffic came, and the same report went again, grown: it replaces itself.
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", WithMetrics(node, 7, at, """[{"service":"orders","requests":{"2xx":12,"5xx":1}}]"""))).ExpectAsync(HttpStatusCode.OK);
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", WithMetrics(node, 8, at, """[{"service":"orders","requests":{"4xx":2}}]"""))).ExpectAsync(HttpStatusCode.OK);
        total = await TotalAsync(kit, cp, $"?node_id={node}");
        Assert.Equal(15, total.GetProperty("requests").GetInt64());
        Assert.Equal(12, total.GetProperty("status_classes").GetProperty("2xx").GetInt64());
        Assert.Equal(2, total.GetProperty("status_classes").GetProperty("4xx").GetInt64());
        Assert.Equal(0, (await TotalAsync(kit, cp, $"?node_id={Guid.NewGuid()}")).GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Bad_metrics_and_bad_queries_are_refused_naming_the_field()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("analytics-bad");
        var (dp, _) = await kit.ConnectAsync(cp);
        var node = Guid.NewGuid();
        foreach (var (body, field) in new[]
        {
            (WithMetrics(node, -1, Now, "[]"), "metrics.sequence"),
            (WithMetrics(node, 1, "yesterday", "[]"), "metrics.at"),
            (WithMetrics(node, 1, Now, """[{"service":"a","requests":{"6xx":1}}]"""), "metrics.services[0].requests.6xx"),
            (WithMetrics(node, 1, Now, """[{"service":"a","requests":{"2xx":-1}}]"""), "metrics.services[0].requests.2xx"),
            (WithMetrics(node, 1, Now, """[{"service":"a","latency_ms":{"abc":1}}]"""), "metrics.services[0].latency_ms.abc"),
            (WithMetrics(node, 1, Now, """[{"requests":{}}]"""), "metrics.services[0].service"),
            (WithMetrics(node, 1, Now, """[{"service":"a","extra":1}]"""), "metrics.services[0].extra"),
            (DataPlaneKit.Heartbeat(node)[..^1] + ""","metrics":[]}""", "metrics"),
        })
        {
            var refused = await (await dp.PostJsonAsync("/v1/dp/heartbeat", body)).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains(field, refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        foreach (var (query, field) in new[]
        {
            ("?granularity=week", "granularity"),
            ("?from=yesterday", "from"),
            ("?to=2026-01-01", "to"),
            ("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
            ("?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z", "to"),
            ("?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&granularity=hour", "to"),
            ("?node_id=nope", "node_id"),
        })
        {
            var refused = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/analytics{query}", Ct)).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains(field, refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        await (await kit.Admin.GetAsync($"/v2/control-planes/{Guid.NewGuid()}/analytics", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        var days = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/analytics?from=2026-01-01T05:00:00Z&to=2026-01-03T00:00:00Z&granularity=day", Ct))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, days.GetProperty("data").GetArrayLength());
        Assert.Equal("2026-01-01T00:00:00+00:00", days.GetProperty("from").GetString());
    }

    [Fact]
    public async Task Reports_older_than_the_retention_are_not_taken_and_the_sweep_deletes_them()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage, new Dictionary<string, string?>
        {
            ["Gatehouse:Analytics:RetentionDays"] = "1",
            // Only this test's sweep: one from the timer before the old row is written would leave the control plane clear for a while.
            ["Gatehouse:Recompose:SweepSeconds"] = "3600",
        });
        var cp = await kit.CreateControlPlaneAsync("analytics-retention");
        var (dp, _) = await kit.ConnectAsync(cp);
        var node = Guid.NewGuid();
        var old = DateTimeOffset.UtcNow.AddDays(-2);
        // Taken as a heartbeat, its traffic dropped: too old to keep.
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", WithMetrics(node, 1, old.ToString("O", CultureInfo.InvariantCulture),
            """[{"service":"a","requests":{"2xx":1}}]"""))).ExpectAsync(HttpStatusCode.OK);
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", WithMetrics(node, 2, Now, """[{"service":"a","requests":{"2xx":5}}]"""))).ExpectAsync(HttpStatusCode.OK);

        // Rows written before the retention was shortened, as the store would hold them.
        var store = kit.App.Services.GetRequiredService<IAnalyticsStore>();
        var traffic = new ServiceTraffic();
        traffic.For("a").AddRequests("2xx", 100);
        var minute = AnalyticsQuery.Floor(old, TimeSpan.FromMinutes(1));
        await store.WriteAsync(cp, node, minute, new MetricsReport(3, old, traffic), Ct);
        Assert.Equal(105, await StoredAsync(store, cp, old.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1)));

        await kit.App.Services.GetRequiredService<Sweeper>().SweepAsync(Ct);
        Assert.Equal(5, await StoredAsync(store, cp, old.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    [Fact]
    public async Task A_control_plane_the_sweep_left_clear_is_looked_over_again_after_a_while_and_answers_stop_at_the_horizon()
    {
        var clock = new ManualClock(AnalyticsQuery.Floor(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        await using var kit = await DataPlaneKit.StartAsync(storage, new Dictionary<string, string?>
        {
            ["Gatehouse:Analytics:RetentionDays"] = "1",
            ["Gatehouse:Recompose:SweepSeconds"] = "3600",
        }, clock: clock);
        var cp = await kit.CreateControlPlaneAsync("analytics-pass");
        var store = kit.App.Services.GetRequiredService<IAnalyticsStore>();
        var sweeper = kit.App.Services.GetRequiredService<Sweeper>();
        var retention = kit.App.Services.GetRequiredService<AnalyticsRetention>();

        // A report of the minute after the horizon: kept, until the clock carries it past.
        var minute = retention.Horizon.AddMinutes(1);
        var traffic = new ServiceTraffic();
        traffic.For("a").AddRequests("2xx", 10);
        await store.WriteAsync(cp, Guid.NewGuid(), minute, new MetricsReport(1, minute, traffic), Ct);
        var window = $"?from={Iso(minute.AddMinutes(-30))}&to={Iso(minute.AddMinutes(30))}&granularity=minute";
        Task<long> StoredNearTheMinuteAsync() => StoredAsync(store, cp, minute.AddHours(-1), minute.AddHours(1));
        Assert.Equal(10, (await TotalAsync(kit, cp, window)).GetProperty("requests").GetInt64());
        await sweeper.SweepAsync(Ct);
        Assert.Equal(10, await StoredNearTheMinuteAsync());

        // Past the horizon now: no answer counts it, but the sweep does not look again so soon.
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, (await TotalAsync(kit, cp, window)).GetProperty("requests").GetInt64());
        await sweeper.SweepAsync(Ct);
        Assert.Equal(10, await StoredNearTheMinuteAsync());

        clock.Advance(AnalyticsRetention.PassEvery);
        await sweeper.SweepAsync(Ct);
        Assert.Equal(0, await StoredNearTheMinuteAsync());
    }

    /// <summary>The requests the store holds for the control plane in [from, to), as the sweep left them.</summary>
    private static async Task<long> StoredAsync(IAnalyticsStore store, Guid controlPlane, DateTimeOffset from, DateTimeOffset to)
    {
        long sum = 0;
        await foreach (var report in store.ReadAsync(controlPlane, from, to, null, Ct))
        {
            sum += report.Traffic.Total().Requests;
        }
        return sum;
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));
}
