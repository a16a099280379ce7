using System.Net.Http.Json;
using Gatehouse.Testing;

namespace Gatehouse.Console.Tests;

/// <summary>A client of the data plane API (HTTPS, client certificate) speaking for nodes of one control plane, for pages that show nodes.</summary>
internal static class DataPlaneClient
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Pins a fresh client certificate to the control plane; a client of the data plane API presenting it.</summary>
    public static async Task<HttpClient> ConnectAsync(ConsoleApp app, ConsoleApi api, string controlPlane)
    {
        var pair = TestCertificates.Server("CN=console-test-dp", elliptic: true);
        await api.SendAsync(HttpMethod.Post, $"/v2/control-planes/{controlPlane}/dp-client-certificates", new { cert = pair.Certificate });
        var certificate = TestCertificates.WithKey(pair);
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                // The data plane endpoint's certificate is self-signed, as a sidecar that pins it accepts.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            },
        };
        return new HttpClient(handler) { BaseAddress = app.DataPlaneAddress };
    }

    /// <summary>A heartbeat of a node (new unless <paramref name="nodeId"/> is one seen before), which registers it.</summary>
    public static async Task HeartbeatAsync(this HttpClient dataPlane, Guid nodeId, string hostname, string version, string configHash)
    {
        using var beat = await dataPlane.PostAsJsonAsync("/v1/dp/heartbeat", new
        {
            node_id = nodeId,
            hostname,
            version,
            plugins = Array.Empty<object>(),
            config_hash = configHash,
        }, Ct);
        Assert.True(beat.IsSuccessStatusCode, await beat.Content.ReadAsStringAsync(Ct));
    }
}
