using System.Net;
using System.Text.Json;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;

namespace Gatehouse.Functions.Tests.EndToEnd;

/// <summary>
/// Three Kong nodes (stand-ins serving the Prometheus plugin's <c>/metrics</c>), each with a real
/// sidecar process, report their traffic to the app running as a process: the analytics API adds it
/// up exactly for each node, for the control plane, and for a group it is a member of — traffic that
/// happened while the control plane was down included, once.
/// </summary>
public sealed class AnalyticsEndToEndTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Expected(string Service, string StatusClass, long Requests);

    [Fact]
    public async Task Three_sidecars_traffic_adds_up_exactly_for_each_node_the_control_plane_and_its_group()
    {
        await using var fleet = await SidecarFleet.StartAsync(storage);
        var group = (await (await fleet.Admin.PostJsonAsync("/v2/control-planes", """{"name":"edge-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await (await fleet.Admin.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add",
            JsonSerializer.Serialize(new { members = new[] { new { id = fleet.ControlPlaneId.ToString() } } }))).ExpectAsync(HttpStatusCode.NoContent);

        for (var i = 0; i < 3; i++)
        {
            var node = await fleet.AddNodeAsync(new KongNodeOptions { Version = "3.9.1" });
            // Counted before the sidecar's first look: its baseline, reported by no one.
            node.Kong!.Traffic.Count("orders", 200, 1000, 30);
            fleet.StartSidecar(node, TimeSpan.FromSeconds(4));
        }
        var nodes = fleet.Nodes;
        await fleet.WaitUntilAsync(() => nodes.All(n => n.Sidecar!.Log.Contains("Reporting Kong's traffic", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "every sidecar reads Kong's metrics");

        // Latencies are chosen inside Kong's buckets (25, 50, 80, 100, 250, 400, 700, 1000, …) so p95 can be worked out by hand.
        nodes[0].Kong!.Traffic.Count("orders", 200, 30, 20, route: "r1");
        nodes[0].Kong!.Traffic.Count("orders", 503, 2, 900);
        nodes[1].Kong!.Traffic.Count("billing", 404, 5, 20);
        nodes[1].Kong!.Traffic.Count("orders", 200, 10, 60, route: "r2");
        nodes[2].Kong!.Traffic.Count("", 404, 3, 1);
        nodes[2].Kong!.Traffic.Count("billing", 201, 7, 300);
        await WaitForRequestsAsync(fleet, fleet.ControlPlaneId.ToString(), 57);

        // The control plane goes away: heartbeats fail, the sidecars keep the traffic, and send it when it is back.
        await fleet.StopAppAsync();
        nodes[0].Kong!.Traffic.Count("orders", 200, 11, 20);
        nodes[2].Kong!.Traffic.Count("billing", 500, 4, 300);
        await fleet.WaitUntilAsync(() => nodes.All(n => n.Sidecar!.Log.Contains("Heartbeat not taken", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "every sidecar's heartbeat failed");
        nodes[1].Kong!.Traffic.Count("billing", 302, 6, 20);
        await fleet.StartAppAsync();
        await WaitForRequestsAsync(fleet, fleet.ControlPlaneId.ToString(), 78);

        // And a little more, which must land in addition, not instead.
        nodes[1].Kong!.Traffic.Count("orders", 200, 3, 60);
        await WaitForRequestsAsync(fleet, fleet.ControlPlaneId.ToString(), 81);

        Expected[][] byNode =
        [
            [new("orders", "2xx", 41), new("orders", "5xx", 2)],
            [new("billing", "4xx", 5), new("orders", "2xx", 13), new("billing", "3xx", 6)],
            [new("", "4xx", 3), new("billing", "2xx", 7), new("billing", "5xx", 4)],
        ];
        for (var i = 0; i < 3; i++)
        {
            var answer = await AnalyticsAsync(fleet, fleet.ControlPlaneId.ToString(), $"&node_id={nodes[i].Options.NodeId}");
            AssertAddsUp(answer, byNode[i]);
        }
        var all = byNode.SelectMany(n => n).ToArray();
        var controlPlane = await AnalyticsAsync(fleet, fleet.ControlPlaneId.ToString());
        AssertAddsUp(controlPlane, all);
        var grouped = await AnalyticsAsync(fleet, group);
        AssertAddsUp(grouped, all);
        Assert.Equal(controlPlane.GetProperty("total").ToString(), grouped.GetProperty("total").ToString());

        // p95 of all 81 requests: rank 76.95. By bucket: ≤25 ms: 41+5+3+6 = 55; (25,50]: 0; (50,80]: 13 → 68;
        // (80,100] 0; (100,250] 0; (250,400]: 11 → 79. So 250 + 150 × (76.95 − 68) / 11.
        var total = controlPlane.GetProperty("total");
        Assert.Equal(250 + (150 * (76.95 - 68) / 11), total.GetProperty("latency_p95_ms").GetDouble(), 9);
        Assert.Equal(81, total.GetProperty("latency_observations").GetInt64());
        Assert.Equal(8.0 / 81, total.GetProperty("error_rate_4xx").GetDouble(), 12);
        Assert.Equal(6.0 / 81, total.GetProperty("error_rate_5xx").GetDouble(), 12);
    }

    private static void AssertAddsUp(JsonElement answer, Expected[] expected)
    {
        var total = answer.GetProperty("total");
        Assert.Equal(expected.Sum(e => e.Requests), total.GetProperty("requests").GetInt64());
        foreach (var statusClass in new[] { "2xx", "3xx", "4xx", "5xx" })
        {
            Assert.Equal(expected.Where(e => e.StatusClass == statusClass).Sum(e => e.Requests), total.GetProperty("status_classes").GetProperty(statusClass).GetInt64());
        }
        // Per service, summed over the buckets: requests no service took are in the total only.
        var services = answer.GetProperty("data").EnumerateArray()
            .SelectMany(bucket => bucket.GetProperty("services").EnumerateArray())
            .GroupBy(s => s.GetProperty("name").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.GetProperty("figures").GetProperty("requests").GetInt64()));
        var expectedServices = expected.Where(e => e.Service != "").GroupBy(e => e.Service).ToDictionary(g => g.Key, g => g.Sum(e => e.Requests));
        Assert.Equal(expectedServices.OrderBy(p => p.Key), services.OrderBy(p => p.Key));
        Assert.Equal(total.GetProperty("requests").GetInt64(),
            answer.GetProperty("data").EnumerateArray().Sum(bucket => bucket.GetProperty("figures").GetProperty("requests").GetInt64()));
    }

    private static async Task<JsonElement> AnalyticsAsync(SidecarFleet fleet, string controlPlane, string query = "")
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var response = await fleet.Admin.GetAsync($"/v2/control-planes/{controlPlane}/analytics?granularity=minute&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}{query}", Ct);
        return await response.ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>Waits for the total to reach <paramref name="requests"/>, then for two more heartbeats to show it stays there (nothing counted twice).</summary>
    private static async Task WaitForRequestsAsync(SidecarFleet fleet, string controlPlane, long requests)
    {
        long seen = -1;
        await fleet.WaitUntilAsync(() =>
        {
            seen = AnalyticsAsync(fleet, controlPlane).Result.GetProperty("total").GetProperty("requests").GetInt64();
            Assert.True(seen <= requests, $"{seen} requests counted, more than the {requests} made\n{fleet.Diagnostics()}");
            return seen == requests;
        }, TimeSpan.FromSeconds(60), $"the control plane counts {requests} requests (last seen {seen})");
        await Task.Delay(TimeSpan.FromSeconds(4.5), Ct);
        Assert.Equal(requests, (await AnalyticsAsync(fleet, controlPlane)).GetProperty("total").GetProperty("requests").GetInt64());
    }
}
