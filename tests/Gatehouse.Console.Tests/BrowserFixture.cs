using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// One headless Debian chromium for the assembly, driven by Playwright through its executable path
/// (Playwright's own browser download cannot run here). Without /usr/bin/chromium (or
/// GATEHOUSE_CHROMIUM) the tests are skipped and say so; ./dev.sh test installs it where it can.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "GATEHOUSE_CHROMIUM";

    private const float PageTimeout = 45_000;

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public string? MissingReason { get; private set; }

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            MissingReason = $"No Chromium at {ChromiumPath}: install Debian's chromium (apt-get install -y chromium, as ./dev.sh test does) or set {ChromiumVariable}.";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root in a container, Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A fresh context (its own sessionStorage) and page, or the test is skipped without a browser.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        Assert.SkipWhen(Browser is null, MissingReason ?? "no browser");
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        // 5 s, Playwright's default, is short for a CI machine running other suites beside this one,
        // and so was 20 s: on one, the plugins page (Kong's package and the Monaco editor it imports,
        // 6 MB of script, 1.7 s here when idle) read its list 26 s after its control plane.
        // Assertions wait as long as actions do.
        context.SetDefaultTimeout(PageTimeout);
        Assertions.SetDefaultExpectTimeout(PageTimeout);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
