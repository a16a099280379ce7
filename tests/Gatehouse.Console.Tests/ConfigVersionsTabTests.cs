using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// A control plane's Versions tab: after a service is added and then changed, the two newest versions
/// are listed with who made them and what they changed, their diff names the changed field, and the
/// older is restored after its dry run's diff is shown, and is then the newest version, baking under the rollout policy until promoted from the page.
/// </summary>
public sealed class ConfigVersionsTabTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task Diff_the_two_newest_versions_and_restore_the_older_after_its_dry_run()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var api = new ConsoleApi(app);
        var cp = await api.CreateControlPlaneAsync("versioned");
        var empty = await api.ExpectedHashAsync(cp);
        await api.CreateServiceAsync(cp, new { name = "orders", host = "orders.internal", port = 8080 });
        var added = await api.NextHashAsync(cp, empty);
        await api.SendAsync(HttpMethod.Patch, $"/v2/control-planes/{cp}/core-entities/services/orders", new { port = 9090 });
        await api.NextHashAsync(cp, added);
        // A staged rollout policy: the restore's config bakes on canaries until promoted here.
        await api.SendAsync(HttpMethod.Put, $"/v2/control-planes/{cp}/rollout-policy", new { canary_percentage = 50, bake_time_seconds = 3600, auto_promote = false });

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Diff_the_two_newest_versions_and_restore_the_older_after_its_dry_run));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GetByTestId("cp-row-versioned").GetByRole(AriaRole.Link).ClickAsync();
            await page.GetByTestId("tab-versions").ClickAsync();
            await page.ArrivesAtAsync("/versions");

            var newest = page.GetByTestId("version-row-0");
            var older = page.GetByTestId("version-row-1");
            await Assertions.Expect(newest.GetByTestId("version-created-by")).ToHaveTextAsync("the organization admin");
            await Assertions.Expect(newest.GetByTestId("version-changes")).ToContainTextAsync("services: ~1");
            await Assertions.Expect(older.GetByTestId("version-changes")).ToContainTextAsync("services: +1");
            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("idle");
            await Assertions.Expect(page.GetByTestId("rollout-promote")).ToBeDisabledAsync();
            await shots.TakeAsync(page, "versions");

            await newest.GetByTestId("version-select").CheckAsync();
            await older.GetByTestId("version-select").CheckAsync();
            await page.GetByTestId("versions-diff").ClickAsync();
            var diff = page.GetByTestId("version-diff");
            await Assertions.Expect(diff.GetByTestId("diff-summary")).ToContainTextAsync("1 to update");
            await Assertions.Expect(diff.GetByTestId("diff-change-update")).ToContainTextAsync("orders");
            await Assertions.Expect(diff.GetByTestId("diff-change-update")).ToContainTextAsync("port");
            await shots.TakeAsync(page, "diff");

            await older.GetByTestId("version-restore").ClickAsync();
            var plan = page.GetByTestId("version-restore-plan");
            await Assertions.Expect(plan.GetByTestId("restore-summary")).ToContainTextAsync("1 to update");
            await Assertions.Expect(plan.GetByTestId("restore-change-update")).ToContainTextAsync("port");
            await shots.TakeAsync(page, "restore-dry-run");
            // The dry run wrote nothing.
            Assert.Equal(9090, (await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/core-entities/services/orders")).GetProperty("port").GetInt32());

            await plan.GetByTestId("version-restore-apply").ClickAsync();
            await Assertions.Expect(plan.GetByTestId("version-restored")).ToContainTextAsync("Restored: the control plane is at revision");
            await Assertions.Expect(plan.GetByTestId("restore-summary")).ToContainTextAsync("1 updated");
            // The restore is a version of its own, newest, once its snapshot is composed.
            await Assertions.Expect(newest).ToContainTextAsync("#4");
            await Assertions.Expect(newest.GetByTestId("version-changes")).ToContainTextAsync("services: ~1");
            // Its hash is the restored version's: that row is marked so, and the two stay separate rows.
            await Assertions.Expect(page.GetByTestId("version-row-2")).ToContainTextAsync("#2");
            await Assertions.Expect(page.GetByTestId("version-row-2")).ToContainTextAsync("same as current");
            await shots.TakeAsync(page, "restored");

            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("baking");
            await page.GetByTestId("rollout-promote").ClickAsync();
            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("promoted");
            await Assertions.Expect(page.GetByTestId("rollout-abort")).ToBeDisabledAsync();
            await shots.TakeAsync(page, "promoted");
        });
        Assert.Equal(8080, (await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/core-entities/services/orders")).GetProperty("port").GetInt32());
    }
}
