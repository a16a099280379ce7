using System.Text;
using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The control plane's Declarative config tab: an invalid kong.yaml shows where it is wrong; a valid
/// one shows its dry run's diff, is applied, and its service is then in the Services tab; a changed
/// one shows the fields its update would change; the current configuration downloads as kong.yaml.
/// </summary>
public sealed class DeclarativeConfigTabTests(StorageFixture storage, BrowserFixture browser)
{
    private const string Invalid = """
        _format_version: "3.0"
        services:
          - name: inventory
            url: http://inventory.internal:8080
            routes:
              - name: inventory-api
                paths: [/inventory]
          - name: broken
            host: broken.internal
            port: 99999
        """;

    private const string Valid = """
        _format_version: "3.0"
        services:
          - name: inventory
            url: http://inventory.internal:8080
            routes:
              - name: inventory-api
                paths: [/inventory]
        """;

    [Fact]
    public async Task Upload_a_kong_yaml_see_its_diff_apply_it_and_see_its_service()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Upload_a_kong_yaml_see_its_diff_apply_it_and_see_its_service));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GetByTestId("cp-row-default").GetByRole(AriaRole.Link).ClickAsync();
            await page.GetByTestId("tab-declarative-config").ClickAsync();
            await page.ArrivesAtAsync("/declarative-config");
            var file = page.GetByTestId("config-file");

            // Refused: each invalid entity by where it is in the file, with its field.
            await file.SetInputFilesAsync(Yaml("broken.yaml", Invalid));
            var rejection = page.GetByTestId("config-rejection");
            await Assertions.Expect(rejection).ToContainTextAsync("services[1]");
            await Assertions.Expect(rejection.GetByTestId("config-rejection-row").Filter(new() { HasText = "port" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("config-plan")).ToHaveCountAsync(0);
            await shots.TakeAsync(page, "rejected");

            // The dry run: what would be created, and nothing written yet.
            await file.SetInputFilesAsync(Yaml("kong.yaml", Valid));
            var plan = page.GetByTestId("config-plan");
            await Assertions.Expect(plan).ToContainTextAsync("What importing kong.yaml would change");
            await Assertions.Expect(page.GetByTestId("config-summary")).ToContainTextAsync("2 to create");
            await Assertions.Expect(page.GetByTestId("config-change-create").Filter(new() { HasText = "inventory-api" })).ToContainTextAsync("route");
            await Assertions.Expect(page.GetByTestId("config-change-create").Filter(new() { HasText = "service" })).ToContainTextAsync("inventory");
            await Assertions.Expect(page.GetByTestId("config-rejection")).ToHaveCountAsync(0);
            await shots.TakeAsync(page, "dry-run");

            await page.GetByTestId("config-apply").ClickAsync();
            await Assertions.Expect(page.GetByTestId("config-applied")).ToContainTextAsync("Applied: the control plane is at revision");
            await Assertions.Expect(page.GetByTestId("config-summary")).ToContainTextAsync("2 created");
            await shots.TakeAsync(page, "applied");

            // A changed file: its dry run names the fields the update changes; cancelled, nothing is written.
            await file.SetInputFilesAsync(Yaml("kong.yaml", Valid.Replace(":8080", ":9090", StringComparison.Ordinal)));
            var update = page.GetByTestId("config-change-update");
            await Assertions.Expect(update).ToHaveCountAsync(1);
            await Assertions.Expect(update).ToContainTextAsync("port");
            await Assertions.Expect(page.GetByTestId("config-summary")).ToContainTextAsync("1 unchanged");
            await shots.TakeAsync(page, "update-dry-run");
            await page.GetByTestId("config-cancel").ClickAsync();
            await Assertions.Expect(page.GetByTestId("config-plan")).ToHaveCountAsync(0);

            // The current configuration, downloaded: the applied service with its first port.
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("config-download").ClickAsync());
            Assert.Equal("kong.yaml", download.SuggestedFilename);
            var exported = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
            Assert.Contains("inventory-api", exported);
            Assert.Contains("8080", exported);
            Assert.DoesNotContain("9090", exported);

            await page.GetByTestId("tab-services").ClickAsync();
            await page.ArrivesAtAsync("/services");
            await Assertions.Expect(page.GetByText("inventory", new() { Exact = true })).ToBeVisibleAsync();
            await shots.TakeAsync(page, "services");
        });
    }

    private static FilePayload Yaml(string name, string text) => new()
    {
        Name = name,
        MimeType = "application/yaml",
        Buffer = Encoding.UTF8.GetBytes(text),
    };
}
