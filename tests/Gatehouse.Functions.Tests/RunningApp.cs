using System.Net.Http.Headers;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// The app on a real Kestrel on a free loopback port, in this process. Each instance gets its own
/// table prefix, so tests sharing one Azurite never see each other's control planes.
/// </summary>
internal sealed class RunningApp : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789abcdef";

    private readonly WebApplication _app;

    private RunningApp(WebApplication app, Uri address, Uri? dataPlaneAddress, string prefix)
    {
        _app = app;
        DataPlaneAddress = dataPlaneAddress;
        Prefix = prefix;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Anonymous = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Sends the admin token.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no credentials.</summary>
    public HttpClient Anonymous { get; }

    public string Prefix { get; }

    /// <summary>The HTTPS endpoint that asks for client certificates, when Gatehouse:DataPlane:HttpsPort is set.</summary>
    public Uri? DataPlaneAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<RunningApp> StartAsync(
        StorageFixture storage, IDictionary<string, string?>? settings = null, string? prefix = null, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["GatehouseStorage"] = storage.ConnectionString,
        }, prefix ?? storage.UniqueName("t"), configure);

    // configure: more to do to the builder after the settings, e.g. add a logger provider.
    public static async Task<RunningApp> StartAsync(IDictionary<string, string?> settings, string? prefix = null, Action<WebApplicationBuilder>? configure = null)
    {
        prefix ??= "t" + Guid.NewGuid().ToString("N")[..12];
        var all = new Dictionary<string, string?>
        {
            ["Gatehouse:AdminToken"] = AdminToken,
            ["Gatehouse:Storage:Prefix"] = prefix,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var app = GatehouseApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(all);
                configure?.Invoke(builder);
            });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new RunningApp(app, new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal))), https is null ? null : new Uri(https), prefix);
    }

    /// <summary>
    /// A recomposer of this app's stores, beside the app's own, that reports its steps to
    /// <paramref name="observer"/> and tells data planes through <paramref name="notifier"/>: for
    /// tests that stop a worker at a step or watch what it notifies.
    /// </summary>
    public Recomposer RecomposerWith(IRecomposeObserver observer, IDataPlaneNotifier notifier) => new(
        Services.GetRequiredService<IEntityReader>(),
        Services.GetRequiredService<IEntityChangeReader>(),
        Services.GetRequiredService<ISnapshotStore>(),
        Services.GetRequiredService<IControlPlaneStore>(),
        Services.GetRequiredService<IGroupMembershipStore>(),
        Services.GetRequiredService<IRecomposeQueue>(),
        observer,
        notifier,
        TimeProvider.System,
        new RenderedFragments(),
        new GroupUnions(new EntityCacheSettings()));

    /// <summary>Creates a control plane and returns the path of its core entities.</summary>
    public async Task<string> CreateControlPlaneAsync(string name)
    {
        var created = await (await Client.PostJsonAsync("/v2/control-planes", $$"""{"name":"{{name}}"}""")).ExpectAsync(System.Net.HttpStatusCode.Created);
        return $"/v2/control-planes/{created.GetProperty("id").GetString()}/core-entities";
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
