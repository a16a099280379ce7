using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// A control plane made in the overview, then a gateway service and a route through Kong's own
/// entity components in Konnect mode against Gatehouse's core-entities API; a value only the server
/// refuses comes back as a field error shown on its field.
/// </summary>
public sealed class ControlPlanePageTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task Create_a_control_plane_add_a_service_and_a_route_and_see_a_field_error_on_the_field()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Create_a_control_plane_add_a_service_and_a_route_and_see_a_field_error_on_the_field));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);

            await page.GetByTestId("cp-name").FillAsync("payments");
            await page.GetByTestId("cp-labels").FillAsync("team:blue, env:dev");
            await page.GetByTestId("cp-create").ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-title")).ToHaveTextAsync("payments");
            await page.ArrivesAtAsync("/services");
            await shots.TakeAsync(page, "control-plane");

            // A gateway service, by URL, through Kong's GatewayServiceForm.
            await page.GetByTestId("toolbar-add-gateway-service").Or(page.GetByTestId("entity-create-button")).First.ClickAsync();
            await page.GetByTestId("gateway-service-url-input").FillAsync("http://orders.internal:8080/v1");
            await page.GetByTestId("gateway-service-name-input").FillAsync("orders");
            await shots.TakeAsync(page, "service-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/services");
            await Assertions.Expect(page.GetByText("orders", new() { Exact = true })).ToBeVisibleAsync();
            await shots.TakeAsync(page, "service-list");

            // A path the form's own checks let through and Gatehouse refuses (as Kong does): Kong's form
            // marks the field the answer's details name (aria-invalid, red) and lists the reason above its buttons.
            await page.GetByTestId("toolbar-add-gateway-service").ClickAsync();
            await page.GetByTestId("gateway-service-protocol-radio").ClickAsync();
            await page.GetByTestId("gateway-service-host-input").FillAsync("billing.internal");
            await page.GetByTestId("gateway-service-path-input").FillAsync("/v1//invoices");
            await page.GetByTestId("gateway-service-name-input").FillAsync("billing");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await Assertions.Expect(page.GetByTestId("form-error")).ToContainTextAsync("path must not have empty segments");
            await Assertions.Expect(page.GetByTestId("gateway-service-path-input")).ToHaveAttributeAsync("aria-invalid", "true");
            await Assertions.Expect(page.GetByTestId("gateway-service-host-input")).Not.ToHaveAttributeAsync("aria-invalid", "true");
            await shots.TakeAsync(page, "field-error");

            // A route to the service, through Kong's RouteForm.
            await page.GetByTestId("tab-routes").ClickAsync();
            await page.GetByTestId("toolbar-add-route").Or(page.GetByTestId("entity-create-button")).First.ClickAsync();
            await page.GetByTestId("route-form-name").FillAsync("orders-api");
            await page.GetByTestId("route-form-service-id").ClickAsync();
            await page.GetByText("orders", new() { Exact = true }).First.ClickAsync();
            await page.GetByTestId("route-form-paths-input-1").FillAsync("/orders");
            await shots.TakeAsync(page, "route-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/routes");
            await Assertions.Expect(page.GetByText("orders-api", new() { Exact = true })).ToBeVisibleAsync();
            await shots.TakeAsync(page, "route-list");

            // Edit the route (its row opens Kong's form with the route read back), then delete it.
            await page.GetByText("orders-api", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("route-form-name")).ToHaveValueAsync("orders-api");
            await page.GetByTestId("route-form-name").FillAsync("orders-v2");
            await page.Locator("[data-testid$='-edit-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/routes");
            await Assertions.Expect(page.GetByText("orders-v2", new() { Exact = true })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "orders-v2" }).GetByRole(AriaRole.Button).Last.ClickAsync();
            await page.GetByTestId("action-entity-delete").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByRole(AriaRole.Textbox).FillAsync("orders-v2");
            await shots.TakeAsync(page, "route-delete");
            // The prompt's own button: while the row's menu is still closing, its "Delete" item is a dialog's button too.
            await dialog.GetByTestId("modal-action-button").ClickAsync();
            await Assertions.Expect(page.GetByText("orders-v2", new() { Exact = true })).ToHaveCountAsync(0);
            await shots.TakeAsync(page, "route-deleted");
        });
    }
}
