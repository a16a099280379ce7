using Gatehouse.Functions;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The app on a real Kestrel on a free loopback port, serving the console built into this test's
/// output folder (console/, copied from console/dist by the app's project), with its own table prefix.
/// </summary>
internal sealed class ConsoleApp : IAsyncDisposable
{
    public const string AdminToken = "console-admin-token-0123456789abcdef";

    private readonly WebApplication _app;

    private ConsoleApp(WebApplication app, Uri address, Uri dataPlaneAddress)
    {
        _app = app;
        Address = address;
        DataPlaneAddress = dataPlaneAddress;
    }

    public Uri Address { get; }

    /// <summary>The data plane API (HTTPS with client certificates), for tests whose pages show nodes.</summary>
    public Uri DataPlaneAddress { get; }

    public static async Task<ConsoleApp> StartAsync(StorageFixture storage)
    {
        var index = Path.Combine(AppContext.BaseDirectory, "console", "index.html");
        Assert.True(File.Exists(index), $"The console is not built ({index} is missing): run ./dev.sh test, or 'npm ci && npm run build' in console/ and build again.");
        var app = GatehouseApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GatehouseStorage"] = storage.ConnectionString,
                ["Gatehouse:AdminToken"] = AdminToken,
                ["Gatehouse:Storage:Prefix"] = storage.UniqueName("c"),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Gatehouse:DataPlane:HttpsPort"] = "0",
            }));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
        var dataPlane = addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new ConsoleApp(app, new Uri(address), new Uri(dataPlane));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
