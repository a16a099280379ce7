using System.Globalization;
using System.Net;
using System.Text.Json;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.Processes;

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
    private readonly List<SidecarNode> _nodes = [];

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

    public IReadOnlyList<SidecarNode> Nodes => _nodes;

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
    public async Task<SidecarNode> AddNodeAsync(KongNodeOptions kong)
    {
        var node = await SidecarNode.CreateAsync(Admin, ControlPlaneId.ToString(), kong, Path.Combine(_directory, $"node-{_nodes.Count}"), $"CN=node-{_nodes.Count}", Ct);
        _nodes.Add(node);
        return node;
    }

    public SidecarProcess StartSidecar(SidecarNode node, TimeSpan poll, string labels = "region:test") =>
        node.StartSidecar($"https://127.0.0.1:{_dataPlanePort}", ServerCertificateFile, poll, labels);

    public async Task PostServiceAsync(string name) =>
        await (await Admin.PostJsonAsync($"/v2/control-planes/{ControlPlaneId}/core-entities/services",
            $$"""{"name":"{{name}}","host":"{{name}}.internal"}""")).ExpectAsync(HttpStatusCode.Created);

    public async Task PostRouteAsync(string service, string name) =>
        await (await Admin.PostJsonAsync($"/v2/control-planes/{ControlPlaneId}/core-entities/services/{service}/routes",
            $$"""{"name":"{{name}}","paths":["/{{name}}"]}""")).ExpectAsync(HttpStatusCode.Created);

    /// <summary>Waits until <paramref name="done"/> holds; fails with what every sidecar said otherwise.</summary>
    public Task WaitUntilAsync(Func<bool> done, TimeSpan within, string what) =>
        Eventually.TrueAsync(done, within, () => $"{what}\n{Diagnostics()}", Ct);

    public string Diagnostics() =>
        string.Join("\n", _nodes.Select((n, i) => $"--- node {i} (Kong {n.Kong?.CurrentHash}) ---\n{n.Sidecar?.Log}"))
        + $"\n--- app ---\n{string.Join('\n', App?.Output.TakeLast(80) ?? [])}";

    public async Task<JsonElement> NodeViewAsync(SidecarNode node) =>
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
}
