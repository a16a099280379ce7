using System.Text.RegularExpressions;
using Gatehouse.Testing;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>Signing in with a pasted token, and a refused token sending the user back to sign-in.</summary>
public sealed class SignInTests(StorageFixture storage, BrowserFixture browser)
{
    [Fact]
    public async Task The_admin_token_signs_in_a_wrong_one_is_refused_and_a_401_sends_you_back()
    {
        await using var app = await ConsoleApp.StartAsync(storage);
        var page = await browser.NewPageAsync(app.Address);
        var shots = new Screenshots(nameof(The_admin_token_signs_in_a_wrong_one_is_refused_and_a_401_sends_you_back));
        await shots.RunAsync(page, async () =>
        {
            // Not signed in: the console's root shows the sign-in page (a client route, served as index.html).
            // The redirect may land while GotoAsync/ReloadAsync still waits for the load event; polling the
            // URL finds it either way, where WaitForURLAsync could miss a navigation that came first.
            await page.GotoAsync("/");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
            await shots.TakeAsync(page, "sign-in");

            await page.GetByTestId("token-input").FillAsync("not-the-token-0123456789abcdef");
            await page.GetByTestId("sign-in").ClickAsync();
            await Assertions.Expect(page.GetByText("This token was not accepted.")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "refused");

            await page.GetByTestId("token-input").FillAsync(ConsoleApp.AdminToken);
            await page.GetByTestId("sign-in").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Control planes" })).ToBeVisibleAsync();
            // Gatehouse makes a "default" control plane at start, as Konnect gives every organization one.
            await Assertions.Expect(page.GetByTestId("cp-row-default")).ToBeVisibleAsync();
            await shots.TakeAsync(page, "overview");

            // The token goes bad (as when it is rotated): the next answer is 401, and the console asks again.
            await page.EvaluateAsync("() => sessionStorage.setItem('gatehouse.token', 'rotated-away-0123456789abcdef')");
            await page.ReloadAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/sign-in\?.*expired=1"));
            await Assertions.Expect(page.GetByTestId("session-expired")).ToBeVisibleAsync();
            Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('gatehouse.token')"));
            await shots.TakeAsync(page, "expired");
        });
    }
}
