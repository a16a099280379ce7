using System.Net.Http.Headers;
using Gatehouse.Core.Composition;
using Gatehouse.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// The app as the benchmarks drive it: its storage (<see cref="BenchStorage"/>: its own Azurite, or
/// an account), the app on a free loopback port with warnings-only logging, and an HTTP client
/// carrying the admin token. Disposing stops both.
/// </summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private const string Token = "bench-admin-token-0123456789abcdef";

    private readonly WebApplication _app;

    private BenchApp(BenchStorage storage, WebApplication app, HttpClient http)
    {
        Storage = storage;
        _app = app;
        Http = http;
    }

    public BenchStorage Storage { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where the app serves data planes (mTLS), when started with <c>Gatehouse:DataPlane:HttpsPort</c>.</summary>
    public Uri? DataPlaneAddress { get; private init; }

    /// <summary>
    /// Starts its storage (an Azurite with <paramref name="azuriteMemoryMegabytes"/> for its heap, unless
    /// <see cref="BenchStorage.Variable"/> names an account) and the app with
    /// <paramref name="settings"/>; with an <paramref name="observer"/>, that is told as
    /// recompositions pass each step, in place of the app's own (which crashes only when set to).
    /// </summary>
    public static async Task<BenchApp> StartAsync(
        int azuriteMemoryMegabytes, TimeSpan? httpTimeout = null, IDictionary<string, string?>? settings = null, IRecomposeObserver? observer = null)
    {
        var storage = await BenchStorage.StartAsync(azuriteMemoryMegabytes);
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["GatehouseStorage"] = storage.ConnectionString,
            ["Gatehouse:AdminToken"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = GatehouseApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(all);
            if (observer is not null)
            {
                builder.Services.AddSingleton(observer);
            }
        });
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
        var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = httpTimeout ?? TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return new BenchApp(storage, app, http) { DataPlaneAddress = https is null ? null : new Uri(https) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
