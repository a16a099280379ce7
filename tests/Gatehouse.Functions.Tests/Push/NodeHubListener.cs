using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Push;

/// <summary>
/// Runs hub-listener.cjs (the official <c>@microsoft/signalr</c> client under Node) as a child
/// process and collects what it reports, one JSON event per line.
/// </summary>
internal sealed class NodeHubListener : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _stderr = [];

    private NodeHubListener(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                try
                {
                    using var document = JsonDocument.Parse(text);
                    _events.Writer.TryWrite(document.RootElement.Clone());
                }
                catch (JsonException)
                {
                    // Not an event (a library printing on stdout): kept with stderr for the failure message.
                    lock (_stderr)
                    {
                        _stderr.Add(text);
                    }
                }
            }
        };
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(line.Data);
                }
            }
        };
        _process.Exited += (_, _) => _events.Writer.TryComplete();
    }

    /// <summary>
    /// Starts a listener on <paramref name="url"/> with <paramref name="token"/>, which tries to invoke
    /// <paramref name="invoke"/> when given. <paramref name="trustAnyServerCertificate"/> is for the data plane
    /// HTTPS endpoint, whose certificate is self-signed: Node then skips TLS verification (NODE_TLS_REJECT_UNAUTHORIZED=0).
    /// </summary>
    public static NodeHubListener Start(Uri url, string token, string? invoke = null, bool trustAnyServerCertificate = false)
    {
        var script = Path.Combine(RepositoryRoot.Path, "tests", "Gatehouse.Functions.Tests", "Push", "hub-listener.cjs");
        if (!File.Exists(Path.Combine(RepositoryRoot.Path, "node_modules", "@microsoft", "signalr", "package.json")))
        {
            throw new InvalidOperationException($"@microsoft/signalr is not installed. Run 'npm ci' in {RepositoryRoot.Path} ('./dev.sh test' does it for you).");
        }
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        if (trustAnyServerCertificate)
        {
            start.Environment["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
        }
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(url.AbsoluteUri);
        start.ArgumentList.Add(token);
        if (invoke is not null)
        {
            start.ArgumentList.Add(invoke);
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var listener = new NodeHubListener(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return listener;
    }

    /// <summary>The next event the client reports, failing the test if none comes within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        var next = await NextOrNullAsync(timeout ?? TimeSpan.FromSeconds(20));
        Assert.True(next is not null, $"the SignalR client reported nothing in time; its stderr: {Stderr()}");
        return next.Value;
    }

    /// <summary>The next event, or null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement?> NextOrNullAsync(TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        try
        {
            return await _events.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Waits for an event of the given kind, failing on any other.</summary>
    public async Task<JsonElement> ExpectAsync(string kind, TimeSpan? timeout = null)
    {
        var next = await NextAsync(timeout);
        Assert.True(next.GetProperty("event").GetString() == kind, $"expected '{kind}', the client reported {next.GetRawText()}; its stderr: {Stderr()}");
        return next;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return string.Join('\n', _stderr);
        }
    }
}
