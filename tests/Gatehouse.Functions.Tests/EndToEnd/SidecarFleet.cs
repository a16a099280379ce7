using System.Globalization;
using System.Net;
using System.Text.Json;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;

namespace Gatehouse.Functions.Tests.EndToEnd;

/// <summary>
/// Everything an end-to-end data plane test runs, each a real thing: Azurite, the app as a process
/// (stopped and started again on the same data plane port and server certificate, as a restart
/// would), and Kong nodes — each a stand-in of Kong's Admin API driven by a sidecar process.
/// Pushes reach the sidecars through a relay the test can cut; config pulls go direct.
/// </summary>
internal sealed class SidecarFleet : IAsyncDisposable
{
    private readonly StorageFixture _storage;
    private readonly string _prefix;
    private readonly int _dataPlanePort = LoopbackPort.Unused();
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-fleet-").FullName;
    private readonly List<Node> _nodes = [];

    private SidecarFleet(StorageFixture storage)
    {
        _storage = storage;
        _prefix = storage.UniqueName("e2e");
        PushRelay = new TcpRelay(_dataPlanePort);
    }

    public AppProcess? App { get; private set; }

    public TcpRelay PushRelay { get; }

    public Guid ControlPlaneId { get; private set; }

    public string ServerCertificateFile => Path.Combine(_directory, "dp-server.pem");

    public IReadOnlyList<Node> Nodes => _nodes;

    public HttpClient Admin => App!.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<SidecarFleet> StartAsync(StorageFixture storage)
    {
        var fleet = new SidecarFleet(storage);
        await fleet.StartAppAsync();
        fleet.ControlPlaneId = Guid.Parse((await (await fleet.Admin.PostJsonAsync("/v2/control-planes", """{"name":"edge"}"""))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        return fleet;
    }

    /// <summary>The storage prefix of the app's tables and containers, to read what a crash left.</summary>
    public string Prefix => _prefix;

    /// <summary>Starts the app; <paramref name="settings"/> adds to (or overrides) the fleet's own.</summary>
    public async Task StartAppAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Gatehouse__DataPlane__HttpsPort"] = _dataPlanePort.ToString(CultureInfo.InvariantCulture),
            ["Gatehouse__DataPlane__ServerCertificateFile"] = ServerCertificateFile,
            ["Gatehouse__PublicUrl"] = $"https://127.0.0.1:{PushRelay.Port}",
            ["Gatehouse__Recompose__VisibilitySeconds"] = "2",
            ["Gatehouse__Recompose__SweepSeconds"] = "5",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        App = await AppProcess.StartAsync(_storage, _prefix, environment);
    }

    /// <summary>Kills the app, as a crash or a lost host would.</summary>
    public async Task StopAppAsync()
    {
        await App!.DisposeAsync();
        App = null;
    }

    /// <summary>A Kong node with its own pinned certificate; its sidecar is started by <see cref="StartSidecar"/>.</summary>
    public async Task<Node> AddNodeAsync(KongNodeOptions kong)
    {
        var pair = TestCertificates.Server($"CN=node-{_nodes.Count}", elliptic: true);
        var created = await (await Admin.PostJsonAsync($"/v2/control-planes/{ControlPlaneId}/dp-client-certificates",
            JsonSerializer.Serialize(new { cert = pair.Certificate }))).ExpectAsync(HttpStatusCode.Created);
        var directory = Path.Combine(_directory, $"node-{_nodes.Count}");
        Directory.CreateDirectory(directory);
        var certificateFile = Path.Combine(directory, "client.pem");
        await File.WriteAllTextAsync(certificateFile, pair.Certificate + "\n" + pair.Key, Ct);
        var node = new Node(kong, Guid.Parse(created.GetProperty("item").GetProperty("id").GetString()!), certificateFile, Path.Combine(directory, "cache"));
        await node.RestartKongAsync();
        _nodes.Add(node);
        return node;
    }

    public SidecarProcess StartSidecar(Node node, TimeSpan poll, string labels = "region:test") =>
        node.Sidecar = SidecarProcess.Start(new Dictionary<string, string>
        {
            ["--control-plane-url"] = $"https://127.0.0.1:{_dataPlanePort}",
            ["--cert"] = node.CertificateFile,
            ["--server-ca"] = ServerCertificateFile,
            ["--kong-admin-url"] = node.Kong!.BaseAddress.ToString(),
            ["--cache-dir"] = node.CacheDirectory,
            ["--poll-interval"] = poll.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["--heartbeat-interval"] = "2",
            ["--labels"] = labels,
        });

    public async Task PostServiceAsync(string name) =>
        await (await Admin.PostJsonAsync($"/v2/control-planes/{ControlPlaneId}/core-entities/services",
            $$"""{"name":"{{name}}","host":"{{name}}.internal"}""")).ExpectAsync(HttpStatusCode.Created);

    public async Task PostRouteAsync(string service, string name) =>
        await (await Admin.PostJsonAsync($"/v2/control-planes/{ControlPlaneId}/core-entities/services/{service}/routes",
            $$"""{"name":"{{name}}","paths":["/{{name}}"]}""")).ExpectAsync(HttpStatusCode.Created);

    /// <summary>Waits until <paramref name="done"/> holds; fails with what every sidecar said otherwise.</summary>
    public async Task WaitUntilAsync(Func<bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {within.TotalSeconds} s: {what}\n{Diagnostics()}");
            }
            await Task.Delay(50, Ct);
        }
    }

    public string Diagnostics() =>
        string.Join("\n", _nodes.Select((n, i) => $"--- node {i} (Kong {n.Kong?.CurrentHash}) ---\n{n.Sidecar?.Log}"))
        + $"\n--- app ---\n{string.Join('\n', App?.Output.TakeLast(80) ?? [])}";

    public async Task<JsonElement> NodeViewAsync(Node node) =>
        (await (await Admin.GetAsync($"/v2/control-planes/{ControlPlaneId}/nodes/{node.Options.NodeId}", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("item");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await PushRelay.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    internal sealed class Node(KongNodeOptions options, Guid certificateId, string certificateFile, string cacheDirectory) : IAsyncDisposable
    {
        public KongNodeOptions Options => options;

        public Guid CertificateId => certificateId;

        public string CertificateFile => certificateFile;

        public string CacheDirectory => cacheDirectory;

        public KongAdminStandIn? Kong { get; private set; }

        public SidecarProcess? Sidecar { get; set; }

        /// <summary>A Kong restarted: the same node, with nothing loaded.</summary>
        public async Task RestartKongAsync()
        {
            if (Kong is not null)
            {
                await Kong.DisposeAsync();
            }
            Kong = new KongAdminStandIn(options);
            await Kong.StartAsync(TestContext.Current.CancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (Sidecar is not null)
            {
                await Sidecar.DisposeAsync();
            }
            if (Kong is not null)
            {
                await Kong.DisposeAsync();
            }
        }
    }
}
