using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
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
            // A column hidden in one list stays shown in the others: each keeps its own preferences.
            await api.CreateServiceAsync(controlPlane, new { name = "billing", url = "http://billing.internal", tags = new[] { "team-billing" } });
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/services");
            await Assertions.Expect(page.GetByTestId("table-header-tags")).ToBeVisibleAsync();
            await page.GetByTestId("column-visibility-menu-button").ClickAsync();
            await page.GetByTestId("column-visibility-checkbox-tags").UncheckAsync();
            await page.GetByTestId("apply-button").ClickAsync();
            await Assertions.Expect(page.GetByTestId("table-header-tags")).ToBeHiddenAsync();
            await page.GetByTestId("tab-consumers").ClickAsync();
            await page.ArrivesAtAsync("/consumers");
            await Assertions.Expect(page.GetByTestId("table-empty-state")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "consumers-empty");

            await page.GetByTestId("entity-create-button").Or(page.GetByTestId("toolbar-add-consumer")).First.ClickAsync();
            await page.GetByTestId("consumer-form-username").FillAsync("alice");
            await page.GetByTestId("consumer-form-custom-id").FillAsync("crm-4711");
            await shots.TakeAsync(page, "consumer-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/consumers");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "alice" });
            await Assertions.Expect(row).ToContainTextAsync("crm-4711");
            await Assertions.Expect(page.GetByTestId("table-header-tags")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "consumer-listed");
            var alice = (await ListAsync(api, controlPlane, "consumers")).EnumerateArray().Single();
            Assert.Equal(("alice", "crm-4711"), (alice.GetProperty("username").GetString(), alice.GetProperty("custom_id").GetString()));

            // The consumer's page: its form read back, and its credentials under it.
            await page.GetByText("alice", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("consumer-form-username")).ToHaveValueAsync("alice");
            var keyAuth = page.GetByTestId("credentials-key-auth");
            await Assertions.Expect(keyAuth).ToBeVisibleAsync();
            await keyAuth.GetByRole(AriaRole.Button).Or(keyAuth.GetByRole(AriaRole.Link)).First.ClickAsync();
            await page.ArrivesAtAsync("/credentials/key-auth/create");
            await shots.TakeAsync(page, "key-auth-form");
            await page.Locator("[data-testid$='-create-form-submit'], [data-testid='form-submit']").First.ClickAsync();
            await page.ArrivesAtAsync($"/consumers/{alice.GetProperty("id").GetString()}");
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
            // Opening the tab reads the list again (a table showing what it cached instead fails here, not below).
            var listed = await page.RunAndWaitForResponseAsync(
                () => page.GetByTestId("tab-consumers").ClickAsync(),
                response => response.Request.Method == "GET" && new Uri(response.Url).AbsolutePath.EndsWith("/core-entities/consumers"));
            Assert.Contains("bulk-", await listed.TextAsync());
            await page.ArrivesAtAsync("/consumers");
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
            await page.ArrivesAtAsync("/plugins/select");
            await page.GetByTestId("rate-limiting-card").ClickAsync();
            await page.ArrivesAtAsync("/plugins/rate-limiting/create");
            await shots.TakeAsync(page, "plugin-form");
            await page.Locator("input[id$='config-minute'], [data-testid='ff-config.minute']").First.FillAsync("5");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/plugins");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rate Limiting" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "plugin-listed");

            var plugin = (await ListAsync(api, controlPlane, "plugins")).EnumerateArray().Single();
            Assert.Equal("rate-limiting", plugin.GetProperty("name").GetString());
            Assert.Equal(5, plugin.GetProperty("config").GetProperty("minute").GetInt32());

            // Its row opens the form with the plugin read back; Kong's form saves it with a PUT in Konnect mode.
            await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rate Limiting" }).Locator(".info-name").ClickAsync();
            await page.ArrivesAtAsync($"/plugins/rate-limiting/{plugin.GetProperty("id").GetString()}");
            var minute = page.Locator("input[id$='config-minute'], [data-testid='ff-config.minute']").First;
            await Assertions.Expect(minute).ToHaveValueAsync("5");
            await minute.FillAsync("10");
            await shots.TakeAsync(page, "plugin-edit");
            await page.Locator("[data-testid$='-edit-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/plugins");
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
            await page.ArrivesAtAsync("/upstreams/create");
            // The name is a select offering the services' hosts, which adds a typed value as a new item.
            await page.GetByTestId("upstreams-form-name").ClickAsync();
            await page.GetByTestId("upstreams-form-name").PressSequentiallyAsync("orders.upstream");
            await page.GetByTestId("select-add-item").ClickAsync();
            await shots.TakeAsync(page, "upstream-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/upstreams");
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
            await page.ArrivesAtAsync("/certificates/create");
            await page.GetByTestId("certificate-form-cert").FillAsync(pair.Certificate);
            await page.GetByTestId("certificate-form-key").FillAsync(pair.Key);
            await page.GetByTestId("sni-field-input-1").FillAsync("shop.example.test");
            await shots.TakeAsync(page, "certificate-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/certificates");
            // The subject column comes from the metadata the console reads off the PEM (README).
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CN=shop.example.test" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "certificate-listed");

            var certificate = (await ListAsync(api, controlPlane, "certificates")).EnumerateArray().Single();
            Assert.Equal(pair.Certificate.Trim(), certificate.GetProperty("cert").GetString()!.Trim());

            await page.GetByTestId("tab-snis").ClickAsync();
            await page.ArrivesAtAsync("/snis");
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
            foreach (var tab in new[] { "consumer-groups", "ca-certificates", "snis", "keys", "key-sets", "vaults" })
            {
                await page.GetByTestId($"tab-{tab}").ClickAsync();
                await page.ArrivesAtAsync($"/{tab}");
                await Assertions.Expect(page.GetByTestId("table-empty-state").Or(page.GetByTestId($"{tab[..^1]}-entity-empty-state")).Or(page.GetByTestId($"{tab}-entity-empty-state")).First).ToBeVisibleAsync();
                await CreateButton(page).ClickAsync();
                await page.ArrivesAtAsync($"/{tab}/create");
                await Assertions.Expect(page.Locator("[data-testid$='-create-form-submit']")).ToBeVisibleAsync();
                await shots.TakeAsync(page, $"{tab}-form");
            }

            await page.GetByTestId("tab-key-sets").ClickAsync();
            await CreateButton(page).ClickAsync();
            await page.GetByTestId("key-set-form-name").FillAsync("signing");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/key-sets");
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
            await page.ArrivesAtAsync("/vaults");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "env-secrets" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "vault-listed");

            var vault = (await ListAsync(api, controlPlane, "vaults")).EnumerateArray().Single();
            Assert.Equal(("env", "GATEHOUSE_"), (vault.GetProperty("name").GetString(), vault.GetProperty("config").GetProperty("prefix").GetString()));
            Assert.Empty(failed);
        });
    }

    [Fact]
    public async Task Create_a_consumer_group_with_a_member_open_it_and_reach_it_from_a_plugin_scoped_to_it()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var failed = FailedCalls(page);
        var alice = (await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{controlPlane}/core-entities/consumers", new { username = "alice" })).GetProperty("id").GetString()!;
        var bob = (await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{controlPlane}/core-entities/consumers", new { username = "bob" })).GetProperty("id").GetString()!;
        var shots = new Screenshots(nameof(Create_a_consumer_group_with_a_member_open_it_and_reach_it_from_a_plugin_scoped_to_it));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/services");
            await page.GetByTestId("tab-consumer-groups").ClickAsync();
            await page.ArrivesAtAsync("/consumer-groups");
            await CreateButton(page).Or(page.GetByTestId("toolbar-add-consumer-group")).First.ClickAsync();
            await page.ArrivesAtAsync("/consumer-groups/create");
            await page.GetByTestId("consumer-group-form-name").FillAsync("gold");
            // The form's consumer picker lists the control plane's consumers; alice is picked.
            await page.GetByTestId("consumer-groups-form").GetByTestId("multiselect-trigger").ClickAsync();
            await page.Locator(".multiselect-item").Filter(new() { HasText = "alice" }).ClickAsync();
            await page.GetByTestId("consumer-group-form-name").ClickAsync();
            await shots.TakeAsync(page, "consumer-group-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/consumer-groups");
            await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "gold" })).ToHaveCountAsync(1);
            await shots.TakeAsync(page, "consumer-group-listed");

            var group = (await ListAsync(api, controlPlane, "consumer_groups")).EnumerateArray().Single();
            var groupId = group.GetProperty("id").GetString()!;
            Assert.Equal("gold", group.GetProperty("name").GetString());
            var members = await ListAsync(api, controlPlane, $"consumer_groups/{groupId}/consumers");
            Assert.Equal([alice], members.EnumerateArray().Select(member => member.GetProperty("id").GetString()));

            // Its page reads the group and its consumers back.
            await page.GetByText("gold", new() { Exact = true }).ClickAsync();
            await page.ArrivesAtAsync($"/consumer-groups/{groupId}");
            await Assertions.Expect(page.GetByTestId("consumer-group-form-name")).ToHaveValueAsync("gold");
            var picked = page.GetByTestId("consumer-groups-form").GetByTestId("selection-badges-container");
            await Assertions.Expect(picked).ToContainTextAsync("alice");
            await shots.TakeAsync(page, "consumer-group-edit");

            // Editing swaps its members: alice out, bob in.
            await page.GetByTestId("consumer-groups-form").GetByTestId("multiselect-trigger").ClickAsync();
            await page.Locator(".multiselect-item").Filter(new() { HasText = "alice" }).ClickAsync();
            await page.Locator(".multiselect-item").Filter(new() { HasText = "bob" }).ClickAsync();
            await page.GetByTestId("consumer-group-form-name").ClickAsync();
            await Assertions.Expect(picked).ToContainTextAsync("bob");
            await Assertions.Expect(picked).Not.ToContainTextAsync("alice");
            await page.Locator("[data-testid$='-edit-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/consumer-groups");
            // Kong's form reports the edit saved once the removals are answered, and adds after that.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            string?[] now;
            while ((now = [.. (await ListAsync(api, controlPlane, $"consumer_groups/{groupId}/consumers")).EnumerateArray().Select(member => member.GetProperty("id").GetString())]) is not [var only] || only != bob)
            {
                Assert.True(DateTime.UtcNow < deadline, $"The group's members are [{string.Join(", ", now)}], not bob ({bob}).");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            // A plugin scoped to the group links to the group's page.
            await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{controlPlane}/core-entities/plugins", new
            {
                name = "rate-limiting",
                consumer_group = new { id = groupId },
                config = new { minute = 5 },
            });
            await page.GetByTestId("tab-plugins").ClickAsync();
            await page.ArrivesAtAsync("/plugins");
            var pluginRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rate Limiting" });
            await pluginRow.GetByText("Consumer Group", new() { Exact = false }).First.ClickAsync();
            await page.ArrivesAtAsync($"/consumer-groups/{groupId}");
            await Assertions.Expect(page.GetByTestId("consumer-group-form-name")).ToHaveValueAsync("gold");
            await shots.TakeAsync(page, "consumer-group-from-plugin");
            Assert.Empty(failed);
        });
    }

    [Fact]
    public async Task Create_a_ca_certificate_and_see_its_issuer_and_expiry_listed()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var failed = FailedCalls(page);
        var notAfter = new DateTimeOffset(2031, 5, 17, 12, 0, 0, TimeSpan.Zero);
        var ca = TestCertificates.CertificateAuthority("CN=Shop Root CA", notAfter);
        var shots = new Screenshots(nameof(Create_a_ca_certificate_and_see_its_issuer_and_expiry_listed));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/ca-certificates");
            await Assertions.Expect(page.GetByTestId("ca-certificates-entity-empty-state")).ToBeVisibleAsync();
            await CreateButton(page).Or(page.GetByTestId("toolbar-add-ca-certificate")).First.ClickAsync();
            await page.ArrivesAtAsync("/ca-certificates/create");
            await page.GetByTestId("ca-certificate-form-cert").FillAsync(ca);
            await shots.TakeAsync(page, "ca-certificate-form");
            await page.Locator("[data-testid$='-create-form-submit']").ClickAsync();
            await page.ArrivesAtAsync("/ca-certificates");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CN=Shop Root CA" });
            await Assertions.Expect(row).ToContainTextAsync("2031");
            await shots.TakeAsync(page, "ca-certificate-listed");

            var stored = (await ListAsync(api, controlPlane, "ca_certificates")).EnumerateArray().Single();
            Assert.Equal(ca.Trim(), stored.GetProperty("cert").GetString()!.Trim());
            Assert.Empty(failed);
        });
    }

    [Fact]
    public async Task A_certificate_is_listed_with_the_subject_expiry_and_dns_names_of_its_pem()
    {
        var (app, api, page, controlPlane) = await OpenAsync(storage, browser);
        await using var _ = app;
        using var __ = api;
        var failed = FailedCalls(page);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=shop.example.test, O=Shop", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("shop.example.test");
        names.AddDnsName("www.shop.example.test");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), new DateTimeOffset(2032, 3, 9, 12, 0, 0, TimeSpan.Zero));
        await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{controlPlane}/core-entities/certificates",
            new { cert = certificate.ExportCertificatePem(), key = key.ExportPkcs8PrivateKeyPem() });
        var shots = new Screenshots(nameof(A_certificate_is_listed_with_the_subject_expiry_and_dns_names_of_its_pem));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GotoAsync($"/control-planes/{controlPlane}/certificates");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CN=shop.example.test" });
            await Assertions.Expect(row).ToContainTextAsync("O=Shop");
            await Assertions.Expect(row).ToContainTextAsync("dns=shop.example.test, www.shop.example.test");
            await Assertions.Expect(row).ToContainTextAsync("2032");
            await shots.TakeAsync(page, "certificate-listed");
            Assert.Empty(failed);
        });
    }
}
