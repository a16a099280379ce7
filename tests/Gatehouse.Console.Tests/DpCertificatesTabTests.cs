using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The control plane's Data plane certificates tab: a certificate generated through the page, its
/// key shown once and saved as a file, listed with its fingerprint, then revoked.
/// </summary>
public sealed class DpCertificatesTabTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task Generate_a_certificate_save_its_key_see_it_listed_and_revoke_it()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Generate_a_certificate_save_its_key_see_it_listed_and_revoke_it));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GetByTestId("cp-row-default").GetByRole(AriaRole.Link).ClickAsync();
            await page.GetByTestId("tab-dp-certificates").ClickAsync();
            await page.ArrivesAtAsync("/dp-certificates");
            await Assertions.Expect(page.GetByTestId("dp-cert-empty")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "empty");

            // A validity the server refuses comes back on its field.
            await page.GetByTestId("dp-cert-validity").FillAsync("500");
            await page.GetByTestId("dp-cert-generate").ClickAsync();
            await Assertions.Expect(page.GetByTestId("dp-cert-generate-form")).ToContainTextAsync("must be from 1 to 120");
            await Assertions.Expect(page.GetByTestId("dp-cert-generate-error")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("dp-cert-empty")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "validity-refused");

            await page.GetByTestId("dp-cert-validity").FillAsync("");
            await page.GetByTestId("dp-cert-title").FillAsync("edge-eu-1");
            await page.GetByTestId("dp-cert-generate").ClickAsync();
            await Assertions.Expect(page.GetByTestId("dp-cert-generated-cert")).ToContainTextAsync("-----BEGIN CERTIFICATE-----");
            await Assertions.Expect(page.GetByTestId("dp-cert-generated-key")).ToContainTextAsync("-----BEGIN PRIVATE KEY-----");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "edge-eu-1" });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            await Assertions.Expect(row).ToContainTextAsync("CN=gatehouse-dp-");
            await shots.TakeAsync(page, "generated");

            // The key is saved from what the page holds, byte for byte what the server answered.
            var shownKey = await page.GetByTestId("dp-cert-generated-key").TextContentAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("dp-cert-download-key").ClickAsync());
            Assert.Equal("gatehouse-dp-edge-eu-1.key", download.SuggestedFilename);
            Assert.Equal(shownKey, await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken));
            var certificate = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("dp-cert-download-cert").ClickAsync());
            Assert.Equal("gatehouse-dp-edge-eu-1.crt", certificate.SuggestedFilename);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", await File.ReadAllTextAsync(await certificate.PathAsync(), TestContext.Current.CancellationToken));

            // Once dismissed, the key is gone from the page: nothing can show it again.
            await page.GetByTestId("dp-cert-dismiss").ClickAsync();
            await Assertions.Expect(page.GetByTestId("dp-cert-generated")).ToHaveCountAsync(0);
            await page.ReloadAsync();
            await Assertions.Expect(row).ToHaveCountAsync(1);

            await row.GetByTestId("dp-cert-revoke").ClickAsync();
            var prompt = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(prompt).ToContainTextAsync("refused from now on");
            await shots.TakeAsync(page, "revoke-prompt");
            await prompt.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("dp-cert-empty")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "revoked");
        });
    }
}
