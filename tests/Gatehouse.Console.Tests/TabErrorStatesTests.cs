using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// What a control plane's tabs show when the server fails them (see <see cref="ServerFailures"/>):
/// the certificate list, the kong.yaml download and the dashboard each say what failed, and each
/// recovers once the server answers again.
/// </summary>
public sealed class TabErrorStatesTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task The_certificate_list_the_download_and_the_dashboard_say_the_server_failed_and_recover()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var api = new ConsoleApi(app);
        var cp = await api.CreateControlPlaneAsync("failing");
        await api.CreateServiceAsync(cp, new { name = "orders", host = "orders.internal" });

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(The_certificate_list_the_download_and_the_dashboard_say_the_server_failed_and_recover));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GetByTestId("cp-row-failing").GetByRole(AriaRole.Link).ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-title")).ToHaveTextAsync("failing");

            await FailsThenRecoversAsync(page, shots, $"/v2/control-planes/{cp}/dp-client-certificates", tab: "tab-dp-certificates",
                error: "dp-cert-load-error", message: "Could not list the certificates", empty: "dp-cert-empty", hidden: ["dp-cert-table"], shot: "certificates-failed");

            await page.GetByTestId("tab-declarative-config").ClickAsync();
            await page.ArrivesAtAsync("/declarative-config");
            var downloads = 0;
            page.Download += (_, _) => downloads++;
            await using (await ServerFailures.FailAsync(page, $"/v2/control-planes/{cp}/declarative-config"))
            {
                await page.GetByTestId("config-download").ClickAsync();
                await Assertions.Expect(page.GetByTestId("config-download-error")).ToContainTextAsync(ServerFailures.Detail);
                await Assertions.Expect(page.GetByTestId("config-download")).ToBeEnabledAsync();
                await shots.TakeAsync(page, "download-failed");
            }
            // A failed download saves nothing (no empty or error-page kong.yaml); the next one, answered, saves the config and clears the error.
            Assert.Equal(0, downloads);
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("config-download").ClickAsync());
            Assert.Equal("kong.yaml", download.SuggestedFilename);
            Assert.Contains("orders.internal", await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken));
            await Assertions.Expect(page.GetByTestId("config-download-error")).ToHaveCountAsync(0);

            await FailsThenRecoversAsync(page, shots, $"/v2/control-planes/{cp}/analytics", tab: "tab-dashboard",
                error: "dashboard-error", message: "Could not read the analytics", empty: "dashboard-empty", hidden: ["dashboard-requests"], shot: "dashboard-failed");
        });
    }

    /// <summary>
    /// Opens <paramref name="tab"/> while the server fails <paramref name="path"/>: the tab says what
    /// failed and shows neither its content nor its empty state; Retry, answered, shows the empty
    /// state and clears the error.
    /// </summary>
    private static async Task FailsThenRecoversAsync(IPage page, Screenshots shots, string path, string tab, string error, string message, string empty, string[] hidden, string shot)
    {
        await using (await ServerFailures.FailAsync(page, path))
        {
            await page.GetByTestId(tab).ClickAsync();
            await Assertions.Expect(page.GetByTestId(error)).ToContainTextAsync($"{message}: {ServerFailures.Detail}");
            foreach (var id in hidden.Append(empty))
            {
                await Assertions.Expect(page.GetByTestId(id)).ToHaveCountAsync(0);
            }
            await shots.TakeAsync(page, shot);
        }
        await page.GetByTestId(error).GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId(empty)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId(error)).ToHaveCountAsync(0);
    }
}
