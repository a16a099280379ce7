using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The tabs that page with "More", each given one item more than its first page holds through the
/// API: a group's members (100 a page), a control plane's config versions (20) and its data plane
/// nodes (50, and a refresh keeps what was paged through). The members tab also offers a control
/// plane that sorts past the first 100 to add.
/// </summary>
public sealed class ListPagingTests(StorageFixture storage, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Members_versions_and_nodes_show_their_first_page_and_the_rest_on_More()
    {
        await using var app = await ConsoleApp.StartAsync(storage, dataPlanes: true);
        using var api = new ConsoleApi(app);

        var group = await api.CreateControlPlaneAsync("many", group: true);
        var members = new List<string>();
        for (var batch = 0; batch < 101; batch += 10)
        {
            members.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(10, 101 - batch)).Select(i => api.CreateControlPlaneAsync($"member-{i:D3}"))));
        }
        // The API adds 50 at a time.
        foreach (var chunk in members.Chunk(50))
        {
            await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{group}/group-memberships/add", new { members = chunk.Select(id => new { id }) });
        }

        // Sorted by name after the 100 members and so on the second page of control planes: still one to add.
        var late = await api.CreateControlPlaneAsync("zz-late");

        // Each write is a version once its snapshot is composed: 21 services on top of the first version.
        var cp = await api.CreateControlPlaneAsync("busy");
        var hash = await api.ExpectedHashAsync(cp);
        for (var i = 0; i < 21; i++)
        {
            await api.CreateServiceAsync(cp, new { name = $"svc-{i:D2}", host = $"svc-{i:D2}.internal" });
            hash = await api.NextHashAsync(cp, hash);
        }
        var (versions, newest, oldest) = await WaitForVersionsAsync(api, cp, 22);

        using var dataPlane = await DataPlaneClient.ConnectAsync(app, api, cp);
        for (var i = 0; i < 51; i++)
        {
            await dataPlane.HeartbeatAsync(Guid.NewGuid(), $"dp-{i:D2}", "3.9.1", hash);
        }

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Members_versions_and_nodes_show_their_first_page_and_the_rest_on_More));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);

            await page.GotoAsync($"/control-planes/{group}/members");
            var memberRows = page.Locator("[data-testid^='member-row-']");
            await Assertions.Expect(memberRows).ToHaveCountAsync(100);
            await Assertions.Expect(page.GetByTestId("members-more")).ToBeVisibleAsync();
            await page.GetByTestId("members-more").ClickAsync();
            await Assertions.Expect(memberRows).ToHaveCountAsync(101);
            await Assertions.Expect(page.GetByTestId("members-more")).ToHaveCountAsync(0);
            foreach (var i in new[] { 0, 57, 100 })
            {
                await Assertions.Expect(page.GetByTestId($"member-row-member-{i:D3}")).ToHaveCountAsync(1);
            }
            await shots.TakeAsync(page, "members");
            await page.GetByTestId("member-add-select").SelectOptionAsync(new SelectOptionValue { Label = "zz-late" });
            await page.GetByTestId("member-add").ClickAsync();
            // The list read again keeps the rows paged through, and the added one wherever it sorts.
            await Assertions.Expect(page.GetByTestId("member-row-zz-late")).ToBeVisibleAsync();
            await Assertions.Expect(memberRows).ToHaveCountAsync(102);
            await Assertions.Expect(page.GetByTestId("member-change-error")).ToHaveCountAsync(0);
            var latest = await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{group}/group-memberships?page[size]=200");
            Assert.Contains(latest.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == late);

            await page.GotoAsync($"/control-planes/{cp}/versions");
            var versionRows = page.Locator("[data-testid^='version-row-']");
            await Assertions.Expect(versionRows).ToHaveCountAsync(20);
            await Assertions.Expect(page.GetByTestId("version-row-0")).ToContainTextAsync($"#{newest}");
            await page.GetByTestId("versions-more").ClickAsync();
            await Assertions.Expect(versionRows).ToHaveCountAsync(versions);
            await Assertions.Expect(page.GetByTestId($"version-row-{versions - 1}")).ToContainTextAsync($"#{oldest}");
            await Assertions.Expect(page.GetByTestId("versions-more")).ToHaveCountAsync(0);
            await shots.TakeAsync(page, "versions");

            await page.GotoAsync($"/control-planes/{cp}/nodes");
            var nodeRows = page.Locator("[data-testid^='node-row-']");
            await Assertions.Expect(nodeRows).ToHaveCountAsync(50);
            await Assertions.Expect(page.GetByTestId("nodes-count")).ToHaveTextAsync("50 of 51");
            // A refresh asked for before "More" and answered after it must not shrink the list back to 50:
            // the next refresh is held until the second page is shown.
            var heldRefresh = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
            static bool IsFirstPageRead(string url) => url.EndsWith("/nodes?page[size]=50", StringComparison.Ordinal);
            await page.RouteAsync(IsFirstPageRead, route => heldRefresh.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());
            var refresh = await heldRefresh.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            await page.GetByTestId("nodes-more").ClickAsync();
            await Assertions.Expect(nodeRows).ToHaveCountAsync(51);
            await page.RunAndWaitForRequestFinishedAsync(() => refresh.ContinueAsync(), new() { Predicate = r => IsFirstPageRead(r.Url) });
            await page.UnrouteAsync(IsFirstPageRead);
            await Assertions.Expect(nodeRows).ToHaveCountAsync(51);
            await Assertions.Expect(page.GetByTestId("nodes-count")).ToHaveTextAsync("51 of 51");
            await Assertions.Expect(page.GetByTestId("nodes-more")).ToHaveCountAsync(0);
            // The tab refreshes every 3 s: a refresh reads as many as are shown, so the second page stays.
            await page.WaitForRequestFinishedAsync(new() { Predicate = r => r.Url.Contains("/nodes?page[size]=51", StringComparison.Ordinal) });
            await Assertions.Expect(nodeRows).ToHaveCountAsync(51);
            await Assertions.Expect(page.GetByTestId("nodes-count")).ToHaveTextAsync("51 of 51");
            await shots.TakeAsync(page, "nodes");
        });
    }

    /// <summary>
    /// Versions are recorded as snapshots are composed: waits until there are at least <paramref name="count"/>;
    /// how many there are, and the newest and oldest numbers.
    /// </summary>
    private static async Task<(int Count, int Newest, int Oldest)> WaitForVersionsAsync(ConsoleApi api, string cp, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var data = (await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/config-versions?page[size]=100")).GetProperty("data");
            var listed = data.GetArrayLength();
            if (listed >= count)
            {
                return (listed, data[0].GetProperty("version").GetInt32(), data[listed - 1].GetProperty("version").GetInt32());
            }
            Assert.True(DateTime.UtcNow < deadline, $"{listed} versions of {cp}, not {count}.");
            await Task.Delay(100, Ct);
        }
    }
}
