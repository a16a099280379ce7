using Gatehouse.Functions;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.Processes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The app on a real Kestrel on a free loopback port, serving the console built into this test's
/// output folder (console/, copied from console/dist by the app's project), with its own table prefix;
/// with <c>dataPlanes</c>, also its data plane HTTPS endpoint, which <see cref="StartSidecar"/>'s sidecars connect to.
/// </summary>
internal sealed class ConsoleApp : IAsyncDisposable
{
    public const string AdminToken = "console-admin-token-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly DataPlaneEndpoint? _dataPlanes;

    private ConsoleApp(WebApplication app, Uri address, DataPlaneEndpoint? dataPlanes)
    {
        _app = app;
        Address = address;
        _dataPlanes = dataPlanes;
    }

    public Uri Address { get; }

    /// <summary>
    /// The app with the admin token and its own tables, its data plane endpoint open when <paramref name="dataPlanes"/>,
    /// and <paramref name="extraSettings"/> besides (an Entra ID tenant's).
    /// </summary>
    public static async Task<ConsoleApp> StartAsync(StorageFixture storage, bool dataPlanes = false, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var index = Path.Combine(AppContext.BaseDirectory, "console", "index.html");
        Assert.True(File.Exists(index), $"The console is not built ({index} is missing): run ./dev.sh test, or 'npm ci && npm run build' in console/ and build again.");
        var settings = new Dictionary<string, string?>
        {
            ["GatehouseStorage"] = storage.ConnectionString,
            ["Gatehouse:AdminToken"] = AdminToken,
            ["Gatehouse:Storage:Prefix"] = storage.UniqueName("c"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var endpoint = dataPlanes ? new DataPlaneEndpoint() : null;
        if (endpoint is not null)
        {
            settings["Gatehouse:DataPlane:HttpsPort"] = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Gatehouse:DataPlane:ServerCertificateFile"] = endpoint.ServerCertificateFile;
        }
        var app = GatehouseApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development"],
            builder => builder.Configuration.AddInMemoryCollection(settings.Concat(extraSettings ?? new Dictionary<string, string?>())));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal));
        return new ConsoleApp(app, new Uri(address), endpoint);
    }

    /// <summary>
    /// A data plane of <paramref name="controlPlane"/>: a Kong stand-in, running, with a certificate
    /// pinned through <paramref name="api"/>; <see cref="StartSidecar"/> starts its sidecar. The caller disposes it.
    /// </summary>
    public async Task<SidecarNode> AddNodeAsync(ConsoleApi api, string controlPlane, KongNodeOptions kong)
    {
        var endpoint = DataPlanes;
        return await SidecarNode.CreateAsync(api.Client, controlPlane, kong, Path.Combine(endpoint.Directory, $"node-{kong.NodeId}"), $"CN={kong.Hostname}",
            TestContext.Current.CancellationToken);
    }

    /// <summary>The node's sidecar, a real process connecting to this app, pulling every <paramref name="poll"/> and on every push.</summary>
    public SidecarProcess StartSidecar(SidecarNode node, TimeSpan poll) =>
        node.StartSidecar($"https://127.0.0.1:{DataPlanes.Port}", DataPlanes.ServerCertificateFile, poll);

    /// <summary>Both at once: a node whose sidecar is started.</summary>
    public async Task<SidecarNode> StartNodeAsync(ConsoleApi api, string controlPlane, KongNodeOptions kong, TimeSpan poll)
    {
        var node = await AddNodeAsync(api, controlPlane, kong);
        StartSidecar(node, poll);
        return node;
    }

    /// <summary>The data plane API (HTTPS with client certificates), for tests whose pages show nodes.</summary>
    public Uri DataPlaneAddress => new($"https://127.0.0.1:{DataPlanes.Port}");

    private DataPlaneEndpoint DataPlanes => _dataPlanes ?? throw new InvalidOperationException("Started without dataPlanes: there is no data plane endpoint to connect to.");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_dataPlanes is not null)
        {
            Directory.Delete(_dataPlanes.Directory, recursive: true);
        }
    }

    /// <summary>The data plane HTTPS port, and where its server certificate and the nodes' files are kept.</summary>
    private sealed class DataPlaneEndpoint
    {
        public int Port { get; } = LoopbackPort.Unused();

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("gatehouse-console-dp-").FullName;

        public string ServerCertificateFile => Path.Combine(Directory, "dp-server.pem");
    }
}
