using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Testing.Kong;

namespace Gatehouse.Testing.Processes;

/// <summary>
/// A data plane as the end-to-end and browser tests run one: a stand-in of Kong's Admin API and a
/// real sidecar process driving it, connecting with its own certificate pinned to the control plane.
/// </summary>
public sealed class SidecarNode(KongNodeOptions options, Guid certificateId, string certificateFile, string cacheDirectory) : IAsyncDisposable
{
    public KongNodeOptions Options => options;

    public Guid CertificateId => certificateId;

    public string CertificateFile => certificateFile;

    public string CacheDirectory => cacheDirectory;

    public KongAdminStandIn? Kong { get; private set; }

    public SidecarProcess? Sidecar { get; set; }

    /// <summary>
    /// Pins a fresh client certificate (<paramref name="subject"/>) to the control plane through
    /// <paramref name="admin"/> (the API as an admin), keeps it and the sidecar's cache in
    /// <paramref name="directory"/>, and starts the node's Kong; its sidecar is started by <see cref="StartSidecar"/>.
    /// </summary>
    public static async Task<SidecarNode> CreateAsync(
        HttpClient admin, string controlPlaneId, KongNodeOptions kong, string directory, string subject, CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        var pair = TestCertificates.Server(subject, elliptic: true);
        using var response = await admin.PostAsJsonAsync($"/v2/control-planes/{controlPlaneId}/dp-client-certificates", new { cert = pair.Certificate }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Pinning the node's certificate: {(int)response.StatusCode} {text}");
        }
        var id = Guid.Parse(JsonDocument.Parse(text).RootElement.GetProperty("item").GetProperty("id").GetString()!);
        Directory.CreateDirectory(directory);
        var certificateFile = Path.Combine(directory, "client.pem");
        await File.WriteAllTextAsync(certificateFile, pair.Certificate + "\n" + pair.Key, ct);
        var node = new SidecarNode(kong, id, certificateFile, Path.Combine(directory, "cache"));
        await node.RestartKongAsync(ct);
        return node;
    }

    /// <summary>
    /// Starts the sidecar as an operator would: connecting to <paramref name="controlPlaneUrl"/> (the
    /// data plane HTTPS endpoint, whose certificate is in <paramref name="serverCaFile"/>), polling
    /// every <paramref name="poll"/> and sending heartbeats (with Kong's metrics) every 2 seconds.
    /// </summary>
    public SidecarProcess StartSidecar(string controlPlaneUrl, string serverCaFile, TimeSpan poll, string labels = "region:test") =>
        Sidecar = SidecarProcess.Start(new Dictionary<string, string>
        {
            ["--control-plane-url"] = controlPlaneUrl,
            ["--cert"] = CertificateFile,
            ["--server-ca"] = serverCaFile,
            ["--kong-admin-url"] = Kong!.BaseAddress.ToString(),
            ["--cache-dir"] = CacheDirectory,
            ["--poll-interval"] = poll.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["--heartbeat-interval"] = "2",
            ["--labels"] = labels,
        });

    /// <summary>A Kong restarted: the same node, with nothing loaded.</summary>
    public async Task RestartKongAsync(CancellationToken cancellationToken = default)
    {
        if (Kong is not null)
        {
            await Kong.DisposeAsync();
        }
        Kong = new KongAdminStandIn(options);
        await Kong.StartAsync(cancellationToken);
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
