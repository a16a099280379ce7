using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// Kong's gateway service list in Konnect mode against Gatehouse: its name filter, a service edited
/// through Kong's form (its row opens the form read back), and a service deleted from its row's menu;
/// the API then holds what the console wrote.
/// </summary>
public sealed class ServiceListTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task Filter_the_services_by_name_edit_one_and_delete_another()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var api = new ConsoleApi(app);
        var cp = await api.CreateControlPlaneAsync("catalog");
        foreach (var name in new[] { "orders", "billing", "inventory" })
        {
            await api.CreateServiceAsync(cp, new { name, host = $"{name}.internal" });
        }

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Filter_the_services_by_name_edit_one_and_delete_another));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{cp}/services");
            ILocator Named(string name) => page.GetByText(name, new() { Exact = true });
            foreach (var name in new[] { "orders", "billing", "inventory" })
            {
                await Assertions.Expect(Named(name)).ToBeVisibleAsync();
            }

            // The list's own filter (the column menu has a search box too).
            var filter = page.GetByPlaceholder("Filter by name");
            await filter.FillAsync("billing");
            await Assertions.Expect(Named("orders")).ToHaveCountAsync(0);
            await Assertions.Expect(Named("inventory")).ToHaveCountAsync(0);
            await Assertions.Expect(Named("billing")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "filtered");
            await filter.FillAsync("");
            await Assertions.Expect(Named("orders")).ToBeVisibleAsync();
            await Assertions.Expect(Named("inventory")).ToBeVisibleAsync();

            await Named("orders").ClickAsync();
            await Assertions.Expect(page.GetByTestId("gateway-service-name-input")).ToHaveValueAsync("orders");
            await Assertions.Expect(page.GetByTestId("gateway-service-host-input")).ToHaveValueAsync("orders.internal");
            await page.GetByTestId("gateway-service-host-input").FillAsync("orders-v2.internal");
            await shots.TakeAsync(page, "editing");
            await page.Locator("[data-testid$='-edit-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/services");
            await Assertions.Expect(Named("orders")).ToBeVisibleAsync();
            var orders = await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/core-entities/services/orders");
            Assert.Equal("orders-v2.internal", orders.GetProperty("host").GetString());

            await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "inventory" }).GetByRole(AriaRole.Button).Last.ClickAsync();
            await page.GetByTestId("inventory-actions-dropdown-popover").GetByTestId("action-entity-delete").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByRole(AriaRole.Textbox).FillAsync("inventory");
            await shots.TakeAsync(page, "deleting");
            await dialog.GetByTestId("modal-action-button").ClickAsync();
            await Assertions.Expect(Named("inventory")).ToHaveCountAsync(0);
            await Assertions.Expect(Named("billing")).ToBeVisibleAsync();
            var left = await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{cp}/core-entities/services");
            Assert.Equal(["billing", "orders"], left.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
            await shots.TakeAsync(page, "deleted");
        });
    }
}
