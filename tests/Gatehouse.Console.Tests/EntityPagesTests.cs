using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The control plane's other Kong entity tabs, each Kong's own list and form components in Konnect
/// mode against Gatehouse's core-entities API: what the page shows is checked, and what it wrote
/// is read back through the API.
/// </summary>
public sealed class EntityPagesTests(StorageFixture storage, BrowserFixture browser)
{
    private static async Task<(ConsoleApp App, ConsoleApi Api, IPage Page, string ControlPlane)> OpenAsync(StorageFixture storage, BrowserFixture browser)
    {
        var app = await ConsoleApp.StartAsync(storage);
        var api = new ConsoleApi(app);
        var controlPlane = await api.CreateControlPlaneAsync("shop");
        var page = await browser.NewPageAsync(app.Address);
        return (app, api, page, controlPlane);
    }

    /// <summary>An empty list's call to create its first entity (Kong's entity lists, or Kongponents' table).</summary>
    private static ILocator CreateButton(IPage page) => page.GetByTestId("entity-create-button").Or(page.GetByTestId("empty-state-action")).First;

    /// <summary>Every call the page makes that is answered 400 or worse: an endpoint a component needs and Gatehouse lacks shows here.</summary>
    private static List<string> FailedCalls(IPage page)
    {
        var failed = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failed.Add($"{response.Request.Method} {response.Url} {response.Status}");
            }
        };
        return failed;
    }

    private static async Task<JsonElement> ListAsync(ConsoleApi api, string controlPlane, string path) =>
        (await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{controlPlane}/core-entities/{path}")).GetProperty("data");

    [Fact]
    public async Task Create_a_consumer_see_it_listed_give_it_a_key_and_page_through_a_long_list()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var shots = new Screenshots(nameof(Create_a_consumer_see_it_listed_give_it_a_key_and_page_through_a_long_list));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/services");
            await page.GetByTestId("tab-consumers").ClickAsync();
            await page.WaitForURLAsync("**/consumers");
            await Assertions.Expect(page.GetByTestId("table-empty-state")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "consumers-empty");

            await page.GetByTestId("entity-create-button").Or(page.GetByTestId("toolbar-add-consumer")).First.ClickAsync();
            await page.GetByTestId("consumer-form-username").FillAsync("alice");
            await page.GetByTestId("consumer-form-custom-id").FillAsync("crm-4711");
            await shots.TakeAsync(page, "consumer-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.WaitForURLAsync("**/consumers");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "alice" });
            await Assertions.Expect(row).ToContainTextAsync("crm-4711");
            await shots.TakeAsync(page, "consumer-listed");
            var alice = (await ListAsync(api, controlPlane, "consumers")).EnumerateArray().Single();
            Assert.Equal(("alice", "crm-4711"), (alice.GetProperty("username").GetString(), alice.GetProperty("custom_id").GetString()));

            // The consumer's page: its form read back, and its credentials under it.
            await page.GetByText("alice", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("consumer-form-username")).ToHaveValueAsync("alice");
            var keyAuth = page.GetByTestId("credentials-key-auth");
            await Assertions.Expect(keyAuth).ToBeVisibleAsync();
            await keyAuth.GetByRole(AriaRole.Button).Or(keyAuth.GetByRole(AriaRole.Link)).First.ClickAsync();
            await page.WaitForURLAsync("**/credentials/key-auth/create");
            await shots.TakeAsync(page, "key-auth-form");
            await page.Locator("[data-testid$='-create-form-submit'], [data-testid='form-submit']").First.ClickAsync();
            await page.WaitForURLAsync($"**/consumers/{alice.GetProperty("id").GetString()}");
            var keys = await ListAsync(api, controlPlane, $"consumers/{alice.GetProperty("id").GetString()}/key-auth");
            Assert.NotEmpty(keys.EnumerateArray().Single().GetProperty("key").GetString()!);
            // Kong's list masks the key (copied, not shown); the other kinds still offer their first credential.
            await Assertions.Expect(page.GetByTestId("credentials-key-auth").GetByRole(AriaRole.Row).Filter(new() { HasText = "*****" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("credentials-basic-auth")).ToContainTextAsync("New Basic Auth credential");
            await shots.TakeAsync(page, "key-auth-listed");

            // A list longer than a page: Kong's table pages through it with the API's offset.
            for (var i = 0; i < 30; i++)
            {
                await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{controlPlane}/core-entities/consumers", new { username = $"bulk-{i:00}" });
            }
            await page.GetByTestId("tab-consumers").ClickAsync();
            await page.WaitForURLAsync("**/consumers");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "bulk-" }).First).ToBeVisibleAsync();
            var firstPage = await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "bulk-" }).CountAsync();
            Assert.InRange(firstPage, 1, 30);
            await shots.TakeAsync(page, "consumers-first-page");
            await page.GetByTestId("next-button").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "bulk-" }).First).ToBeVisibleAsync();
            await shots.TakeAsync(page, "consumers-second-page");
            Assert.True(await page.GetByTestId("previous-button").IsEnabledAsync());
        });
    }

    [Fact]
    public async Task Add_a_rate_limiting_plugin_from_the_catalog_see_it_listed_and_edit_it()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var failed = FailedCalls(page);
        var shots = new Screenshots(nameof(Add_a_rate_limiting_plugin_from_the_catalog_see_it_listed_and_edit_it));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/plugins");
            await Assertions.Expect(page.GetByTestId("table-empty-state")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "plugins-empty");

            await page.GetByTestId("entity-create-button").Or(page.GetByTestId("toolbar-add-plugin")).First.ClickAsync();
            await page.WaitForURLAsync("**/plugins/select");
            await page.GetByTestId("rate-limiting-card").ClickAsync();
            await page.WaitForURLAsync("**/plugins/rate-limiting/create");
            await shots.TakeAsync(page, "plugin-form");
            await page.Locator("input[id$='config-minute'], [data-testid='ff-config.minute']").First.FillAsync("5");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.WaitForURLAsync("**/plugins");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rate Limiting" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "plugin-listed");

            var plugin = (await ListAsync(api, controlPlane, "plugins")).EnumerateArray().Single();
            Assert.Equal("rate-limiting", plugin.GetProperty("name").GetString());
            Assert.Equal(5, plugin.GetProperty("config").GetProperty("minute").GetInt32());

            // Its row opens the form with the plugin read back; Kong's form saves it with a PUT in Konnect mode.
            await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rate Limiting" }).Locator(".info-name").ClickAsync();
            await page.WaitForURLAsync($"**/plugins/rate-limiting/{plugin.GetProperty("id").GetString()}");
            var minute = page.Locator("input[id$='config-minute'], [data-testid='ff-config.minute']").First;
            await Assertions.Expect(minute).ToHaveValueAsync("5");
            await minute.FillAsync("10");
            await shots.TakeAsync(page, "plugin-edit");
            await page.Locator("[data-testid$='-edit-form-submit']").ClickAsync();
            await page.WaitForURLAsync("**/plugins");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rate Limiting" })).ToHaveCountAsync(1);
            var edited = (await ListAsync(api, controlPlane, "plugins")).EnumerateArray().Single();
            Assert.Equal((plugin.GetProperty("id").GetString(), 10), (edited.GetProperty("id").GetString(), edited.GetProperty("config").GetProperty("minute").GetInt32()));
            Assert.Empty(failed);
        });
    }

    [Fact]
    public async Task Create_an_upstream_and_give_it_a_target()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var failed = FailedCalls(page);
        var shots = new Screenshots(nameof(Create_an_upstream_and_give_it_a_target));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/upstreams");
            await page.GetByTestId("entity-create-button").Or(page.GetByTestId("toolbar-add-upstream")).First.ClickAsync();
            await page.WaitForURLAsync("**/upstreams/create");
            // The name is a select offering the services' hosts, which adds a typed value as a new item.
            await page.GetByTestId("upstreams-form-name").ClickAsync();
            await page.GetByTestId("upstreams-form-name").PressSequentiallyAsync("orders.upstream");
            await page.GetByTestId("select-add-item").ClickAsync();
            await shots.TakeAsync(page, "upstream-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.WaitForURLAsync("**/upstreams");
            await Assertions.Expect(page.GetByText("orders.upstream", new() { Exact = true })).ToBeVisibleAsync();
            await shots.TakeAsync(page, "upstream-listed");

            // The upstream's page lists its targets; Kong's list adds one in its own modal form.
            await page.GetByText("orders.upstream", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("upstreams-form-name")).ToHaveValueAsync("orders.upstream");
            await Assertions.Expect(page.GetByTestId("upstream-targets").GetByTestId("table-empty-state")).ToContainTextAsync("Configure a new target");
            await page.GetByTestId("upstream-targets").GetByRole(AriaRole.Button, new() { Name = "New target" }).ClickAsync();
            await page.GetByTestId("target-form-target").FillAsync("10.0.0.7:8080");
            await page.GetByTestId("target-form-weight").FillAsync("50");
            await shots.TakeAsync(page, "target-form");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            var targetRow = page.GetByTestId("upstream-targets").GetByRole(AriaRole.Row).Filter(new() { HasText = "10.0.0.7:8080" });
            await Assertions.Expect(targetRow).ToContainTextAsync("50");
            await shots.TakeAsync(page, "target-listed");

            var upstream = (await ListAsync(api, controlPlane, "upstreams")).EnumerateArray().Single();
            var target = (await ListAsync(api, controlPlane, $"upstreams/{upstream.GetProperty("id").GetString()}/targets")).EnumerateArray().Single();
            Assert.Equal(("10.0.0.7:8080", 50), (target.GetProperty("target").GetString(), target.GetProperty("weight").GetInt32()));
            Assert.Empty(failed);
        });
    }

    [Fact]
    public async Task Create_a_certificate_with_an_sni_and_see_both_listed()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var pair = TestCertificates.Server("CN=shop.example.test");
        var shots = new Screenshots(nameof(Create_a_certificate_with_an_sni_and_see_both_listed));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/certificates");
            await Assertions.Expect(page.GetByTestId("certificates-entity-empty-state")).ToBeVisibleAsync();
            await page.GetByTestId("entity-create-button").Or(page.GetByTestId("toolbar-add-certificate")).First.ClickAsync();
            // Polled, not WaitForURLAsync: under load the router's navigation can land before that would subscribe.
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/certificates/create$"));
            await page.GetByTestId("certificate-form-cert").FillAsync(pair.Certificate);
            await page.GetByTestId("certificate-form-key").FillAsync(pair.Key);
            await page.GetByTestId("sni-field-input-1").FillAsync("shop.example.test");
            await shots.TakeAsync(page, "certificate-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/certificates$"));
            // In Konnect mode Kong's list takes subject, expiry and SANs from a computed metadata field
            // Gatehouse does not serve (README); the row is the certificate, its PEM in the Cert column.
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "-----BEG" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "certificate-listed");

            var certificate = (await ListAsync(api, controlPlane, "certificates")).EnumerateArray().Single();
            Assert.Equal(pair.Certificate.Trim(), certificate.GetProperty("cert").GetString()!.Trim());

            await page.GetByTestId("tab-snis").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/snis$"));
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "shop.example.test" })).ToContainTextAsync(certificate.GetProperty("id").GetString()![..8]);
            await shots.TakeAsync(page, "sni-listed");
        });
    }

    [Fact]
    public async Task Every_other_entity_tab_lists_empty_and_opens_its_form_with_no_failed_call_and_a_key_set_and_a_vault_are_created()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var failed = FailedCalls(page);
        var shots = new Screenshots(nameof(Every_other_entity_tab_lists_empty_and_opens_its_form_with_no_failed_call_and_a_key_set_and_a_vault_are_created));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/services");
            foreach (var tab in new[] { "snis", "keys", "key-sets", "vaults" })
            {
                await page.GetByTestId($"tab-{tab}").ClickAsync();
                await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/{tab}$"));
                await Assertions.Expect(page.GetByTestId("table-empty-state").Or(page.GetByTestId($"{tab[..^1]}-entity-empty-state")).First).ToBeVisibleAsync();
                await CreateButton(page).ClickAsync();
                await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/{tab}/create$"));
                await Assertions.Expect(page.Locator("[data-testid$='-create-form-submit']")).ToBeVisibleAsync();
                await shots.TakeAsync(page, $"{tab}-form");
            }

            await page.GetByTestId("tab-key-sets").ClickAsync();
            await CreateButton(page).ClickAsync();
            await page.GetByTestId("key-set-form-name").FillAsync("signing");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.WaitForURLAsync("**/key-sets");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "signing" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "key-set-listed");

            // Kong's form opens on Konnect's own config store, which Gatehouse does not have; Kong 3.9 OSS has the env vault.
            await page.GetByTestId("tab-vaults").ClickAsync();
            await CreateButton(page).ClickAsync();
            await page.GetByTestId("provider-select").ClickAsync();
            await page.GetByTestId("vault-form-provider-env").ClickAsync();
            await page.GetByTestId("vault-form-prefix").FillAsync("env-secrets");
            await page.GetByTestId("vault-form-config-kong-prefix").FillAsync("GATEHOUSE_");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.WaitForURLAsync("**/vaults");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "env-secrets" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "vault-listed");

            var vault = (await ListAsync(api, controlPlane, "vaults")).EnumerateArray().Single();
            Assert.Equal(("env", "GATEHOUSE_"), (vault.GetProperty("name").GetString(), vault.GetProperty("config").GetProperty("prefix").GetString()));
            Assert.Empty(failed);
        });
    }
}
