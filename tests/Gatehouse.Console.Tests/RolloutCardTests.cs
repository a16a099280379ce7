using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The Versions tab's rollout card for a control plane with a rollout policy: idle with both actions
/// disabled, then a write's snapshot baking as the canary, aborted from the card, and the next one promoted.
/// </summary>
public sealed class RolloutCardTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task A_baking_rollout_is_aborted_and_the_next_promoted_from_the_card()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var api = new ConsoleApi(app);
        var cp = await api.CreateControlPlaneAsync("canaried");
        // A long bake: nothing but the card's buttons ends it.
        await api.SendAsync(HttpMethod.Put, $"/v2/control-planes/{cp}/rollout-policy", new { canary_labels = new { ring = "canary" }, bake_time_seconds = 3600 });
        var stable = await api.ExpectedHashAsync(cp);

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(A_baking_rollout_is_aborted_and_the_next_promoted_from_the_card));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{cp}/versions");
            var card = page.GetByTestId("rollout");
            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("idle");
            await Assertions.Expect(card).ToContainTextAsync(stable);
            await Assertions.Expect(page.GetByTestId("rollout-promote")).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByTestId("rollout-abort")).ToBeDisabledAsync();
            await shots.TakeAsync(page, "idle");

            await api.CreateServiceAsync(cp, new { name = "orders", host = "orders.internal" });
            var canary = await api.NextHashAsync(cp, stable);
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("baking");
            await Assertions.Expect(card).ToContainTextAsync($"Stable {stable} · canary {canary}");
            await Assertions.Expect(card).ToContainTextAsync("promoted automatically at");
            await Assertions.Expect(page.GetByTestId("rollout-promote")).ToBeEnabledAsync();
            await shots.TakeAsync(page, "baking");

            await page.GetByTestId("rollout-abort").ClickAsync();
            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("aborted");
            await Assertions.Expect(card).ToContainTextAsync("aborted by an operator");
            await Assertions.Expect(page.GetByTestId("rollout-promote")).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByTestId("rollout-abort")).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByTestId("rollout-error")).ToHaveCountAsync(0);
            Assert.Equal("aborted", (await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/rollout")).GetProperty("state").GetString());
            await shots.TakeAsync(page, "aborted");

            var current = await api.ExpectedHashAsync(cp);
            await api.CreateServiceAsync(cp, new { name = "billing", host = "billing.internal" });
            var next = await api.NextHashAsync(cp, current);
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("baking");
            await Assertions.Expect(card).ToContainTextAsync($"canary {next}");
            await page.GetByTestId("rollout-promote").ClickAsync();
            await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("promoted");
            await Assertions.Expect(page.GetByTestId("rollout-promote")).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByTestId("rollout-abort")).ToBeDisabledAsync();
            var promoted = await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/rollout");
            Assert.Equal("promoted", promoted.GetProperty("state").GetString());
            await shots.TakeAsync(page, "promoted");
        });
    }
}
