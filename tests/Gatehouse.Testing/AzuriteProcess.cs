using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gatehouse.Testing;

/// <summary>
/// A real Azurite, started from the repository's pinned npm dependency, in memory, on ports the
/// operating system picks (so parallel test runs and checkouts never collide). Stopped on dispose.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's one account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known key, published in its README; not a secret.</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteProcess(Process process, string scheme, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        // Path-style, as Azurite expects: the account is the first segment.
        Uri Endpoint(int port) => new($"{scheme}://127.0.0.1:{port}/{AccountName}");
        BlobEndpoint = Endpoint(blobPort);
        QueueEndpoint = Endpoint(queuePort);
        TableEndpoint = Endpoint(tablePort);
        ConnectionString =
            $"DefaultEndpointsProtocol={scheme};AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";
    }

    public Uri BlobEndpoint { get; }

    /// <summary>The CPU time Azurite's process has used so far: benchmarks print what storage cost beside what the app did.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>The connection string to hand to a client or a process under test.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts Azurite and waits until all three services listen.</summary>
    /// <param name="timeout">How long to wait for it to listen (60 s by default).</param>
    /// <param name="memoryLimitMegabytes">The cap on its in-memory blob and queue data.</param>
    /// <param name="extraArguments">More Azurite flags, such as <c>--oauth basic --cert ... --key ...</c> for HTTPS with bearer tokens.</param>
    public static async Task<AzuriteProcess> StartAsync(TimeSpan? timeout = null, int memoryLimitMegabytes = 512, params string[] extraArguments)
    {
        var script = Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed at {script}. Run 'npm ci' in {RepositoryRoot.Path} ('./dev.sh test' does it for you).");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in new[]
        {
            script, "--inMemoryPersistence", "--extentMemoryLimit", memoryLimitMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--disableTelemetry", "--silent",
            "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0",
        }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var scheme = "http";
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                lock (ports)
                {
                    scheme = match.Groups["scheme"].Value;
                    ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            $"Azurite exited with code {SafeExitCode(process)} before it listened:\n{string.Join('\n', output)}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Stop(process);
            throw new TimeoutException($"Azurite did not listen within the timeout:\n{string.Join('\n', output)}");
        }
        catch
        {
            Stop(process);
            throw;
        }

        return new AzuriteProcess(process, scheme, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        return ValueTask.CompletedTask;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at (?<scheme>https?)://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
