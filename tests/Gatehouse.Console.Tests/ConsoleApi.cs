using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The app's API as the admin, for a test's setup and for checking what the console wrote: the
/// console is what is tested, the API only gets it to the state the test starts from.
/// </summary>
internal sealed class ConsoleApi : IDisposable
{
    private readonly HttpClient _client;

    public ConsoleApi(ConsoleApp app)
    {
        _client = new HttpClient { BaseAddress = app.Address };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleApp.AdminToken);
    }

    /// <summary>The admin's client, for helpers that speak to the API themselves (pinning a node's certificate).</summary>
    public HttpClient Client => _client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A control plane (or, with <paramref name="group"/>, a control plane group); its id.</summary>
    public async Task<string> CreateControlPlaneAsync(string name, bool group = false) =>
        (await SendAsync(HttpMethod.Post, "/v2/control-planes", new
        {
            name,
            cluster_type = group ? "CLUSTER_TYPE_CONTROL_PLANE_GROUP" : "CLUSTER_TYPE_CONTROL_PLANE",
        })).GetProperty("id").GetString()!;

    public Task<JsonElement> CreateServiceAsync(string controlPlane, object service) =>
        SendAsync(HttpMethod.Post, $"/v2/control-planes/{controlPlane}/core-entities/services", service);

    public async Task<string> ExpectedHashAsync(string controlPlane) =>
        (await SendAsync(HttpMethod.Get, $"/v2/control-planes/{controlPlane}/expected-config-hash")).GetProperty("expected_hash").GetString()!;

    /// <summary>Snapshots are composed after a write is answered: waits until the control plane's moves past <paramref name="previous"/>.</summary>
    public Task<string> NextHashAsync(string controlPlane, string previous) =>
        Eventually.ThatAsync(() => ExpectedHashAsync(controlPlane), hash => hash != previous, TimeSpan.FromSeconds(20),
            () => $"the snapshot of {controlPlane} moved past {previous}", Ct);

    public void Dispose() => _client.Dispose();
}
