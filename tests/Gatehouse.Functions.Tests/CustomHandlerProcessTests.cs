using System.Diagnostics;
using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>The app as a real process, started the way the Azure Functions host starts a custom handler.</summary>
public sealed class CustomHandlerProcessTests(StorageFixture storage)
{
    [Fact]
    public async Task Listens_on_the_port_the_Functions_host_gives_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = LoopbackPort.Unused();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Gatehouse.Functions"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment[GatehouseApp.CustomHandlerPortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["GatehouseStorage"] = storage.ConnectionString;
        start.Environment["Gatehouse__AdminToken"] = RunningApp.AdminToken;
        start.Environment["Gatehouse__Storage__Prefix"] = storage.UniqueName("t");
        start.Environment.Remove("ASPNETCORE_URLS");

        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ready = await WaitForAsync(client, "/", TimeSpan.FromSeconds(30), ct);
            Assert.True(ready, $"the handler never answered on port {port}:\n{string.Join('\n', output)}");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", ct)).StatusCode);
            Assert.Contains(output, line => line.Contains("Gatehouse storage: tables", StringComparison.Ordinal));
            Assert.DoesNotContain(output, line => line.Contains(Gatehouse.Azure.Storage.StorageConnectionString.DevelopmentAccountKey, StringComparison.Ordinal));

            // A refused and an accepted management request: the token is never written to the log.
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v2/control-planes", ct)).StatusCode);
            using var authorized = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
            authorized.Headers.Authorization = new("Bearer", RunningApp.AdminToken);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(authorized, ct)).StatusCode);
            Assert.DoesNotContain(output, line => line.Contains(RunningApp.AdminToken, StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(ct);
        }
    }

    private static async Task<bool> WaitForAsync(HttpClient client, string path, TimeSpan within, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync(path, ct);
                return true;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, ct);
            }
        }
        return false;
    }
}
