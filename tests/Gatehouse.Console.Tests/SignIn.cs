using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

internal static class SignIn
{
    /// <summary>Signs in with the admin token through the sign-in page and waits for the overview.</summary>
    public static async Task AsAdminAsync(IPage page)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByTestId("token-input").FillAsync(ConsoleApp.AdminToken);
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Control planes" })).ToBeVisibleAsync();
    }
}
