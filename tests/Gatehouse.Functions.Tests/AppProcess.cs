using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Gatehouse.Testing;
using Gatehouse.Testing.Processes;

namespace Gatehouse.Functions.Tests;

/// <summary>The app as a real process on a free port, with the settings given; killed on dispose.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, int port, ConcurrentQueue<string> output)
    {
        _process = process;
        Output = output;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RunningApp.AdminToken);
    }

    public HttpClient Client { get; }

    public ConcurrentQueue<string> Output { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the app as the Functions host would (it listens on FUNCTIONS_CUSTOMHANDLER_PORT, in
    /// the directory of its executable) and waits until it answers. The executable is the build
    /// next to the tests, or the one in <paramref name="package"/>, a published function app.
    /// </summary>
    public static async Task<AppProcess> StartAsync(
        StorageFixture storage, string prefix, IDictionary<string, string>? environment = null, string? package = null)
    {
        var port = LoopbackPort.Unused();
        var directory = package ?? AppContext.BaseDirectory;
        var start = new ProcessStartInfo(Path.Combine(directory, "Gatehouse.Functions")) { WorkingDirectory = directory };
        start.Environment[GatehouseApp.CustomHandlerPortVariable] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["GatehouseStorage"] = storage.ConnectionString;
        start.Environment["Gatehouse__AdminToken"] = RunningApp.AdminToken;
        start.Environment["Gatehouse__Storage__Prefix"] = prefix;
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var (process, output) = CapturedProcess.Start(start);

        var app = new AppProcess(process, port, output);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await app.Client.GetAsync("/", TestContext.Current.CancellationToken);
                return app;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }

    public Task WaitForExitAsync(TimeSpan within) => _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(within, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
