using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The overview: each control plane with its data plane nodes counted by sync and compatibility
/// status (nodes registered through the real data plane API, with a pinned client certificate),
/// a group with its conflicts, a control plane without nodes, and a second page.
/// </summary>
public sealed class OverviewPageTests(StorageFixture storage, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_overview_counts_each_control_planes_nodes_and_a_groups_conflicts_and_pages()
    {
        await using var app = await ConsoleApp.StartAsync(storage, dataPlanes: true);
        using var api = new ConsoleApi(app);
        var fleet = await api.CreateControlPlaneAsync("fleet");
        await api.CreateControlPlaneAsync("quiet");
        var (eu, us) = (await api.CreateControlPlaneAsync("member-eu"), await api.CreateControlPlaneAsync("member-us"));
        await api.CreateServiceAsync(eu, new { name = "orders", host = "orders.eu.internal" });
        await api.CreateServiceAsync(us, new { name = "orders", host = "orders.us.internal" });
        var edge = await api.CreateControlPlaneAsync("edge", group: true);
        await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{edge}/group-memberships/add", new { members = new[] { new { id = eu }, new { id = us } } });
        // Enough others after them (by name) that the list has a second page.
        for (var i = 0; i < 18; i++)
        {
            await api.CreateControlPlaneAsync($"zz-{i:D2}");
        }

        // Three nodes run the current config, one an older one; one of the three runs a Kong too new.
        var hash = await api.ExpectedHashAsync(fleet);
        using var dataPlane = await DataPlaneClient.ConnectAsync(app, api, fleet);
        foreach (var (version, configHash) in new[] { ("3.9.1", hash), ("3.9.0", hash), ("4.0.0", hash), ("3.9.1", "") })
        {
            await dataPlane.HeartbeatAsync(Guid.NewGuid(), "dp", version, configHash);
        }
        await WaitForConflictAsync(api, edge);
        // The app makes the default control plane as it starts: wait for it, so that the pages hold what they will hold.
        await WaitUntilAsync(api, "/v2/control-planes?filter[name][eq]=default", list => list.GetProperty("data").GetArrayLength() == 1);

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(The_overview_counts_each_control_planes_nodes_and_a_groups_conflicts_and_pages));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            var row = page.GetByTestId("cp-row-fleet");
            await Assertions.Expect(row.GetByTestId("nodes-total")).ToHaveTextAsync("4");
            await Assertions.Expect(row.GetByTestId("nodes-in-sync")).ToHaveTextAsync("3 in sync");
            await Assertions.Expect(row.GetByTestId("nodes-out-of-sync")).ToHaveTextAsync("1 out of sync");
            await Assertions.Expect(row.GetByTestId("nodes-compatible")).ToHaveTextAsync("3 compatible");
            await Assertions.Expect(row.GetByTestId("nodes-incompatible")).ToHaveTextAsync("1 incompatible");
            await Assertions.Expect(row.GetByTestId("nodes-compatibility-unknown")).ToHaveCountAsync(0);
            await Assertions.Expect(row.GetByTestId("group-state")).ToHaveCountAsync(0);

            await Assertions.Expect(page.GetByTestId("cp-row-quiet").GetByTestId("nodes-none")).ToHaveTextAsync("No nodes");
            var group = page.GetByTestId("cp-row-edge");
            await Assertions.Expect(group.GetByTestId("group-state")).ToHaveTextAsync("CONFLICT");
            await Assertions.Expect(group.GetByTestId("group-conflicts")).ToHaveTextAsync("1 conflict");
            await Assertions.Expect(group).ToContainTextAsync("Control plane group");
            await Assertions.Expect(page.GetByTestId("cp-pager")).ToContainTextAsync("1–20 of 24");
            await shots.TakeAsync(page, "first-page");

            await page.GetByTestId("cp-next").ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-pager")).ToContainTextAsync("21–24 of 24");
            await Assertions.Expect(page.GetByTestId("cp-row-zz-17")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("cp-row-fleet")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("cp-next")).ToBeDisabledAsync();
            await shots.TakeAsync(page, "second-page");
        });
    }

    private static Task WaitForConflictAsync(ConsoleApi api, string group) =>
        WaitUntilAsync(api, $"/v2/control-planes/{group}/group-status", status => status.GetProperty("item").GetProperty("state").GetString() == "CONFLICT");

    private static Task WaitUntilAsync(ConsoleApi api, string path, Func<System.Text.Json.JsonElement, bool> condition) =>
        Eventually.ThatAsync(() => api.SendAsync(HttpMethod.Get, path), condition, TimeSpan.FromSeconds(20), () => $"{path} got there", Ct);
}
