using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// The app with its data plane HTTPS endpoint on a free port, and what data plane tests need:
/// control planes, pinned certificates, and HTTP clients that present a certificate in a real
/// TLS handshake (the server's self-signed certificate is accepted, as a sidecar that pins it would).
/// </summary>
internal sealed class DataPlaneKit : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private DataPlaneKit(RunningApp app) => App = app;

    public RunningApp App { get; }

    public HttpClient Admin => App.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The app; given another kit's <see cref="RunningApp.Prefix"/>, a second instance on the same storage.</summary>
    public static async Task<DataPlaneKit> StartAsync(
        StorageFixture storage, IDictionary<string, string?>? settings = null, string? prefix = null, TimeProvider? clock = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Gatehouse:DataPlane:HttpsPort"] = "0" };
        return new DataPlaneKit(await RunningApp.StartAsync(storage, all, prefix, clock is null ? null : b => b.Services.AddSingleton(clock)));
    }

    public async Task<Guid> CreateControlPlaneAsync(string name, bool group = false) =>
        Guid.Parse((await (await Admin.PostJsonAsync("/v2/control-planes",
            $$"""{"name":"{{name}}","cluster_type":"{{(group ? "CLUSTER_TYPE_CONTROL_PLANE_GROUP" : "CLUSTER_TYPE_CONTROL_PLANE")}}"}"""))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);

    public async Task PostEntityAsync(Guid controlPlane, string path, string json) =>
        await (await Admin.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities{path}", json)).ExpectAsync(HttpStatusCode.Created);

    /// <summary>Pins a fresh certificate to the control plane; returns it with its key, and its record's id.</summary>
    public async Task<(X509Certificate2 Certificate, Guid Id)> PinAsync(Guid controlPlane, string subject = "CN=dp")
    {
        var pair = TestCertificates.Server(subject, elliptic: true);
        var created = await (await Admin.PostJsonAsync($"/v2/control-planes/{controlPlane}/dp-client-certificates",
            JsonSerializer.Serialize(new { cert = pair.Certificate }))).ExpectAsync(HttpStatusCode.Created);
        return (TestCertificates.WithKey(pair), Guid.Parse(created.GetProperty("item").GetProperty("id").GetString()!));
    }

    /// <summary>Pins a fresh certificate to the control plane and answers a client presenting it, and the certificate's id.</summary>
    public async Task<(HttpClient Client, Guid CertificateId)> ConnectAsync(Guid controlPlane)
    {
        var (certificate, id) = await PinAsync(controlPlane);
        return (DataPlane(certificate), id);
    }

    /// <summary>A client of the data plane HTTPS endpoint presenting <paramref name="certificate"/> (none when null).</summary>
    public HttpClient DataPlane(X509Certificate2? certificate, DecompressionMethods decompression = DecompressionMethods.None)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = decompression,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
            },
        };
        var client = new HttpClient(handler) { BaseAddress = App.DataPlaneAddress, Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(client);
        return client;
    }

    /// <summary>The admin view of the current snapshot, once it satisfies <paramref name="condition"/>; and its hash.</summary>
    public async Task<(JsonElement Config, string Hash)> WaitForConfigAsync(Guid controlPlane, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var response = await Admin.GetAsync($"/v2/control-planes/{controlPlane}/declarative-config", Ct);
            var config = await response.ExpectAsync(HttpStatusCode.OK);
            if (condition(config))
            {
                return (config, response.Headers.ETag!.Tag.Trim('"'));
            }
            Assert.True(DateTime.UtcNow < deadline, $"the config never got there: {config.GetRawText()}");
            await Task.Delay(50, Ct);
        }
    }

    public static string Heartbeat(Guid node, string version = "3.9.1", string plugins = """[{"name":"cors","version":"3.9.1"}]""", string hash = "", string hostname = "dp-1") =>
        $$$"""{"node_id":"{{{node}}}","hostname":"{{{hostname}}}","version":"{{{version}}}","plugins":{{{plugins}}},"config_hash":"{{{hash}}}","labels":{"region":"eu"}}""";

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await App.DisposeAsync();
    }
}
