using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// A control plane group's Members tab: two control planes, each with a service named "orders" (to
/// different hosts), added as members through the page; the group's status then names the conflict,
/// the entity, both members and why; removing one member resolves it.
/// </summary>
public sealed class GroupMembersTabTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task Add_two_members_with_one_service_name_see_the_conflict_explained_and_resolve_it()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        using var api = new ConsoleApi(app);
        var eu = await api.CreateControlPlaneAsync("edge-eu");
        var us = await api.CreateControlPlaneAsync("edge-us");
        await api.CreateServiceAsync(eu, new { name = "orders", host = "orders.eu.internal" });
        await api.CreateServiceAsync(us, new { name = "orders", host = "orders.us.internal" });
        var group = await api.CreateControlPlaneAsync("edge", group: true);

        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(Add_two_members_with_one_service_name_see_the_conflict_explained_and_resolve_it));
        await shots.RunAsync(page, async () =>
        {
            await SignIn.AsAdminAsync(page);
            await page.GetByTestId("cp-row-edge").GetByRole(AriaRole.Link).ClickAsync();
            // A group opens on its members.
            await page.ArrivesAtAsync($"/control-planes/{group}/members");
            await Assertions.Expect(page.GetByTestId("tab-members")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("router-link-active"));
            await Assertions.Expect(page.GetByTestId("members-empty")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "no-members");

            foreach (var name in new[] { "edge-eu", "edge-us" })
            {
                await page.GetByTestId("member-add-select").SelectOptionAsync(new SelectOptionValue { Label = name });
                await page.GetByTestId("member-add").ClickAsync();
                await Assertions.Expect(page.GetByTestId($"member-row-{name}")).ToBeVisibleAsync();
            }
            // A member is not offered again.
            await Assertions.Expect(page.GetByTestId("member-add-select").Locator("option", new() { HasText = "edge-eu" })).ToHaveCountAsync(0);

            await Assertions.Expect(page.GetByTestId("group-state")).ToHaveTextAsync("CONFLICT");
            var conflict = page.GetByTestId("group-conflict");
            await Assertions.Expect(conflict).ToHaveCountAsync(1);
            await Assertions.Expect(conflict).ToContainTextAsync("service");
            await Assertions.Expect(conflict.GetByTestId("group-conflict-description")).ToContainTextAsync("name=orders");
            // Between the two members: the one that brings it, and the one found holding it too.
            await Assertions.Expect(conflict.GetByTestId("group-conflict-other")).Not.ToHaveTextAsync("another member");
            var members = new[]
            {
                await conflict.GetByTestId("group-conflict-member").TextContentAsync(),
                await conflict.GetByTestId("group-conflict-other").TextContentAsync(),
            }.Select(n => n?.Trim()).Order();
            Assert.Equal(["edge-eu", "edge-us"], members);
            await shots.TakeAsync(page, "conflict");

            await page.GetByTestId("member-row-edge-us").GetByTestId("member-remove").ClickAsync();
            await Assertions.Expect(page.GetByTestId("member-row-edge-us")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("group-state")).ToHaveTextAsync("OK");
            await Assertions.Expect(page.GetByTestId("group-conflict")).ToHaveCountAsync(0);
            await shots.TakeAsync(page, "resolved");
        });
        var remaining = await api.SendAsync(HttpMethod.Get, $"/v2/control-planes/{group}/group-memberships");
        Assert.Equal([eu], remaining.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }
}
