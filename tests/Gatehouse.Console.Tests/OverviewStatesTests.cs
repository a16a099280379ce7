using System.Text.RegularExpressions;
using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The overview when its list fails (see <see cref="ServerFailures"/>) and recovers on Retry, and its
/// form's errors: one the console catches itself, ones only the server refuses shown on their field,
/// and a taken name shown under the form; nothing refused is created.
/// </summary>
public sealed class OverviewStatesTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task The_overview_says_its_list_failed_and_the_form_shows_each_refusal_where_it_belongs()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var api = new ConsoleApi(app);
        await api.CreateControlPlaneAsync("taken");

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(The_overview_says_its_list_failed_and_the_form_shows_each_refusal_where_it_belongs));
        await shots.RunAsync(page, async () =>
        {
            await using (await ServerFailures.FailAsync(page, "/v2/control-planes-summary"))
            {
                await SignIn.AsAdminAsync(page);
                await Assertions.Expect(page.GetByTestId("cp-load-error")).ToContainTextAsync($"Could not list control planes: {ServerFailures.Detail}");
                await Assertions.Expect(page.GetByTestId("cp-table")).ToHaveCountAsync(0);
                await Assertions.Expect(page.GetByTestId("cp-empty")).ToHaveCountAsync(0);
                await shots.TakeAsync(page, "list-failed");
            }
            await page.GetByTestId("cp-load-error").GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-row-taken")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("cp-load-error")).ToHaveCountAsync(0);

            // Caught by the console before any request: a label without its value.
            await page.GetByTestId("cp-name").FillAsync("payments");
            await page.GetByTestId("cp-labels").FillAsync("team:blue, tier");
            await page.GetByTestId("cp-create").ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-labels")).ToHaveAccessibleDescriptionAsync("'tier' is not key:value");

            // Refused by the server on its field: a key Konnect reserves.
            await page.GetByTestId("cp-labels").FillAsync("team:blue, kong-owned:yes");
            await page.GetByTestId("cp-create").ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-labels")).ToHaveAccessibleDescriptionAsync(new Regex("^label keys cannot start with 'kong'"));
            await Assertions.Expect(page.GetByTestId("cp-create-error")).ToHaveCountAsync(0);
            await shots.TakeAsync(page, "label-refused");

            // A blank name enables the button (it is not empty) and the server refuses it on the name's field.
            await page.GetByTestId("cp-labels").FillAsync("team:blue");
            await page.GetByTestId("cp-name").FillAsync("   ");
            await page.GetByTestId("cp-create").ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-name")).ToHaveAccessibleDescriptionAsync("cannot be blank");
            await Assertions.Expect(page.GetByTestId("cp-labels")).ToHaveAccessibleDescriptionAsync("key:value, comma separated");
            await shots.TakeAsync(page, "name-refused");

            // A taken name is no field's fault: it shows under the form, and the page stays on the overview.
            await page.GetByTestId("cp-name").FillAsync("taken");
            await page.GetByTestId("cp-create").ClickAsync();
            await Assertions.Expect(page.GetByTestId("cp-create-error")).ToContainTextAsync("Control Plane with provided name already exists: [taken].");
            await Assertions.Expect(page.GetByTestId("cp-name")).Not.ToHaveAccessibleDescriptionAsync("cannot be blank");
            await Assertions.Expect(page.GetByTestId("cp-create")).ToBeEnabledAsync();
            await shots.TakeAsync(page, "name-taken");

            var named = await api.SendAsync(HttpMethod.Get, "/v2/control-planes?page[size]=100");
            var names = named.GetProperty("data").EnumerateArray().Select(cp => cp.GetProperty("name").GetString()).ToList();
            Assert.DoesNotContain("payments", names);
            Assert.Single(names, n => n == "taken");
        });
    }
}
