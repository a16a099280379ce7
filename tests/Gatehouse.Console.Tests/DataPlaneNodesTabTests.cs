using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// A control plane's Data plane nodes tab, refreshing itself while it is open: a real sidecar with a
/// Kong stand-in connects and its node appears in sync; after a service is written through the API
/// while that Kong refuses every config, the node shows out of sync, expecting the new config, with
/// Kong's refusal. The sidecar does not offer Kong a refused config again: once Kong takes configs,
/// the next write's config is pushed, pulled and loaded, and the node is in sync with that hash.
/// </summary>
public sealed class DataPlaneNodesTabTests(StorageFixture storage, BrowserFixture browser)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_node_appears_then_shows_out_of_sync_after_a_write_and_in_sync_once_its_sidecar_pulls()
    {
        await using var app = await ConsoleApp.StartAsync(storage, dataPlanes: true);
        using var api = new ConsoleApi(app);
        var cp = await api.CreateControlPlaneAsync("edge");
        var empty = await api.ExpectedHashAsync(cp);
        await api.CreateServiceAsync(cp, new { name = "orders", host = "orders.internal" });
        var first = await api.NextHashAsync(cp, empty);

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(A_node_appears_then_shows_out_of_sync_after_a_write_and_in_sync_once_its_sidecar_pulls));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GetByTestId("cp-row-edge").GetByRole(AriaRole.Link).ClickAsync();
            await page.GetByTestId("tab-nodes").ClickAsync();
            await page.ArrivesAtAsync("/nodes");
            await Assertions.Expect(page.GetByTestId("nodes-empty")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "no-nodes");

            // The page stays open: the node shows up by itself at its first heartbeat.
            await using var node = await app.StartNodeAsync(api, cp, new KongNodeOptions { Version = "3.9.1", Hostname = "kong-edge-1" }, s_poll);
            var row = page.GetByTestId("node-row-kong-edge-1");
            await Assertions.Expect(row.GetByTestId("node-sync")).ToHaveTextAsync("In sync");
            await Assertions.Expect(row.GetByTestId("node-version")).ToHaveTextAsync("3.9.1");
            await Assertions.Expect(row.GetByTestId("node-compatibility")).ToHaveTextAsync("Compatible");
            await Assertions.Expect(row.GetByTestId("node-config-hash")).ToHaveTextAsync(first[..12]);
            await Assertions.Expect(row.GetByTestId("node-last-seen")).ToContainTextAsync("s ago");
            await Assertions.Expect(page.GetByTestId("nodes-count")).ToHaveTextAsync("1 of 1");
            Assert.Contains("\"name\":\"orders\"", node.Kong!.CurrentConfig);
            await shots.TakeAsync(page, "in-sync");

            // Kong refuses what it is sent: the write's config cannot land, and the page says so.
            node.Kong.RejectAll(true, "the stand-in refuses this config");
            await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{cp}/core-entities/services", new { name = "billing", host = "billing.internal" });
            var second = await api.NextHashAsync(cp, first);
            await Assertions.Expect(row.GetByTestId("node-sync")).ToHaveTextAsync("Out of sync");
            await Assertions.Expect(row.GetByTestId("node-expected")).ToContainTextAsync(second[..12]);
            await Assertions.Expect(row.GetByTestId("node-config-hash")).ToHaveTextAsync(first[..12]);
            await Assertions.Expect(row.GetByTestId("node-last-error")).ToContainTextAsync("the stand-in refuses this config");
            await shots.TakeAsync(page, "out-of-sync");

            // Kong takes configs again; the next write's config is loaded and the node's heartbeat reports it.
            node.Kong.RejectAll(false);
            await api.SendAsync(HttpMethod.Patch, $"/v2/control-planes/{cp}/core-entities/services/billing", new { port = 8080 });
            var third = await api.NextHashAsync(cp, second);
            await Assertions.Expect(row.GetByTestId("node-sync")).ToHaveTextAsync("In sync");
            await Assertions.Expect(row.GetByTestId("node-config-hash")).ToHaveTextAsync(third[..12]);
            await Assertions.Expect(row.GetByTestId("node-last-error")).ToHaveCountAsync(0);
            await Assertions.Expect(row.GetByTestId("node-expected")).ToHaveCountAsync(0);
            Assert.Contains("\"name\":\"billing\"", node.Kong.CurrentConfig);
            Assert.Contains("8080", node.Kong.CurrentConfig);
            await shots.TakeAsync(page, "in-sync-again");
        });
    }
}
