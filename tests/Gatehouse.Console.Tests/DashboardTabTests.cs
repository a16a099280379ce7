using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.Processes;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The Dashboard tab, refreshing itself while it is open: empty until a real sidecar reports the
/// traffic its Kong stand-in's Prometheus plugin counted, then its totals, its charts' legends and
/// its per-service table show exactly what was reported — not what Kong had counted before the
/// sidecar's first look — for every time frame, for one service, and for a group the control plane is a member of.
/// </summary>
public sealed class DashboardTabTests(StorageFixture storage, BrowserFixture browser)
{
    // Longer than a page's wait (BrowserFixture): the dashboard shows new figures at its next refresh.
    private static readonly LocatorAssertionsToHaveTextOptions s_refreshed = new() { Timeout = 60_000 };

    [Fact]
    public async Task The_charts_fill_from_the_traffic_a_sidecar_reported_for_the_control_plane_one_service_and_its_group()
    {
        await using var app = await ConsoleApp.StartAsync(storage, dataPlanes: true);
        using var api = new ConsoleApi(app);
        var cp = await api.CreateControlPlaneAsync("shop");
        var group = await api.CreateControlPlaneAsync("shops", group: true);
        await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{group}/group-memberships/add", new { members = new[] { new { id = cp } } });

        await using var node = await app.AddNodeAsync(api, cp, new KongNodeOptions { Version = "3.9.1", Hostname = "kong-shop-1" });
        var traffic = node.Kong!.Traffic;
        // Counted before the sidecar's first look: its baseline, which it never reports.
        traffic.Count("orders", 200, 1000, 30);
        var sidecar = app.StartSidecar(node, TimeSpan.FromSeconds(30));

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(The_charts_fill_from_the_traffic_a_sidecar_reported_for_the_control_plane_one_service_and_its_group));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GetByTestId("cp-row-shop").GetByRole(AriaRole.Link).ClickAsync();
            await page.GetByTestId("tab-dashboard").ClickAsync();
            await page.ArrivesAtAsync("/dashboard");
            await WaitForMetricsAsync(sidecar);
            await Assertions.Expect(page.GetByTestId("dashboard-empty")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "empty");

            // Latencies inside Kong's buckets (25, 50, …, 1000): 38 of the 40 requests within 25 ms, so p95 (rank 38) is 25 ms.
            traffic.Count("orders", 200, 30, 20);
            traffic.Count("orders", 503, 2, 900);
            traffic.Count("billing", 404, 5, 20);
            traffic.Count("", 404, 3, 1);

            await Assertions.Expect(page.GetByTestId("dashboard-requests")).ToHaveTextAsync("40", s_refreshed);
            await Assertions.Expect(page.GetByTestId("chart-traffic-legend-2xx")).ToHaveTextAsync("2xx: 30");
            await Assertions.Expect(page.GetByTestId("chart-traffic-legend-3xx")).ToHaveTextAsync("3xx: 0");
            await Assertions.Expect(page.GetByTestId("chart-traffic-legend-4xx")).ToHaveTextAsync("4xx: 8");
            await Assertions.Expect(page.GetByTestId("chart-traffic-legend-5xx")).ToHaveTextAsync("5xx: 2");
            await Assertions.Expect(page.GetByTestId("dashboard-rate-4xx")).ToHaveTextAsync("20.0%");
            await Assertions.Expect(page.GetByTestId("dashboard-rate-5xx")).ToHaveTextAsync("5.0%");
            await Assertions.Expect(page.GetByTestId("chart-errors-legend-5xx")).ToHaveTextAsync("5xx: 5.0%");
            await Assertions.Expect(page.GetByTestId("dashboard-p95")).ToHaveTextAsync("25 ms");
            await Assertions.Expect(page.GetByTestId("chart-latency-legend-p95")).ToHaveTextAsync("p95: 25 ms");
            // Drawn: one bar per status class with requests, and error-rate and latency points.
            await Assertions.Expect(page.GetByTestId("chart-traffic").Locator("rect")).Not.ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("chart-latency").Locator("circle")).Not.ToHaveCountAsync(0);
            // Requests no service took are in the totals only.
            var orders = page.GetByTestId("dashboard-service-orders");
            var billing = page.GetByTestId("dashboard-service-billing");
            await Assertions.Expect(orders.GetByTestId("service-requests")).ToHaveTextAsync("32");
            await Assertions.Expect(orders.GetByTestId("service-5xx")).ToHaveTextAsync("2");
            await Assertions.Expect(billing.GetByTestId("service-requests")).ToHaveTextAsync("5");
            await Assertions.Expect(billing.GetByTestId("service-4xx")).ToHaveTextAsync("5");
            await Assertions.Expect(page.GetByTestId("dashboard-services").Locator("tbody tr")).ToHaveCountAsync(2);
            await shots.TakeAsync(page, "filled");

            // What the page shows is what the API answers.
            var answer = await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/analytics?granularity=minute&from={Since(TimeSpan.FromHours(1))}");
            Assert.Equal(40, answer.GetProperty("total").GetProperty("requests").GetInt64());
            Assert.Equal(25, answer.GetProperty("total").GetProperty("latency_p95_ms").GetDouble(), 9);

            await page.GetByTestId("dashboard-scope").SelectOptionAsync("orders");
            await Assertions.Expect(page.GetByTestId("dashboard-requests")).ToHaveTextAsync("32");
            await Assertions.Expect(page.GetByTestId("chart-traffic-legend-4xx")).ToHaveTextAsync("4xx: 0");
            await Assertions.Expect(page.GetByTestId("chart-traffic-legend-5xx")).ToHaveTextAsync("5xx: 2");
            await Assertions.Expect(page.GetByTestId("dashboard-rate-5xx")).ToHaveTextAsync("6.3%");
            await shots.TakeAsync(page, "one-service");
            await page.GetByTestId("dashboard-scope").SelectOptionAsync("");

            foreach (var (frame, granularity) in new[] { ("Last 15 minutes", "per minute"), ("24 hours", "per hour"), ("7 days", "per hour") })
            {
                await page.GetByRole(AriaRole.Button, new() { Name = frame, Exact = true }).ClickAsync();
                await Assertions.Expect(page.GetByTestId("dashboard-granularity")).ToHaveTextAsync(granularity);
                await Assertions.Expect(page.GetByTestId("dashboard-requests")).ToHaveTextAsync("40");
                await Assertions.Expect(page.GetByTestId("chart-traffic-legend-4xx")).ToHaveTextAsync("4xx: 8");
            }
            await shots.TakeAsync(page, "seven-days");

            // The group's dashboard adds up its members' nodes.
            await page.GetByRole(AriaRole.Link, new() { Name = "Control planes" }).ClickAsync();
            await page.GetByTestId("cp-row-shops").GetByRole(AriaRole.Link).ClickAsync();
            await page.GetByTestId("tab-dashboard").ClickAsync();
            await Assertions.Expect(page.GetByTestId("dashboard-requests")).ToHaveTextAsync("40");
            await Assertions.Expect(page.GetByTestId("chart-traffic-legend-2xx")).ToHaveTextAsync("2xx: 30");
            await Assertions.Expect(page.GetByTestId("dashboard-service-orders").GetByTestId("service-requests")).ToHaveTextAsync("32");
            await Assertions.Expect(page.Locator(".gh-dashboard-head")).ToContainTextAsync(new Regex("group's data planes"));
            await shots.TakeAsync(page, "group");
        });
    }

    private static string Since(TimeSpan ago) =>
        Uri.EscapeDataString((DateTimeOffset.UtcNow - ago).ToString("O", CultureInfo.InvariantCulture));

    /// <summary>Waits for the sidecar's first look at Kong's metrics: what it counts from then on is reported.</summary>
    private static async Task WaitForMetricsAsync(SidecarProcess sidecar)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!sidecar.Log.Contains("Reporting Kong's traffic", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The sidecar did not read Kong's metrics within 30 s:\n{sidecar.Log}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
