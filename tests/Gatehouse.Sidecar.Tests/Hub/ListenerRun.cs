using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Gatehouse.Sidecar.Hub;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Sidecar.Tests.Hub;

/// <summary>
/// A <see cref="HubListener"/> running against a hub URL, recording what it tells its caller
/// ("connected", or the push) and what it logs. Each negotiate hands out a fresh token,
/// <c>token-1</c>, <c>token-2</c>, ..., so tests can tell attempts apart and check that no
/// token reaches the log.
/// </summary>
internal sealed class ListenerRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly SocketsHttpHandler _http = new();
    private readonly ILoggerFactory _clientLogs;
    private int _negotiations;

    private ListenerRun(HubListenerOptions options, Func<int, HubEndpoint> endpoint, Func<ConfigUpdated, Task>? onUpdated)
    {
        _clientLogs = LoggerFactory.Create(logs => logs.SetMinimumLevel(LogLevel.Trace).AddProvider(ClientLog));
        Listener = new HubListener(options, _http, Log) { ClientLogs = _clientLogs };
        Run = Listener.RunAsync(
            _ =>
            {
                var n = Interlocked.Increment(ref _negotiations);
                return Task.FromResult(endpoint(n));
            },
            _ =>
            {
                Events.Writer.TryWrite("connected");
                return Task.CompletedTask;
            },
            async (update, _) =>
            {
                Events.Writer.TryWrite($"{update.ControlPlaneId}:{update.ConfigHash}");
                if (onUpdated is not null)
                {
                    await onUpdated(update);
                }
            },
            _stop.Token);
    }

    /// <summary>Options for tests: quick reconnects, and timeouts long enough not to interfere unless a test shortens them.</summary>
    public static HubListenerOptions Fast(TimeSpan? keepAlive = null, TimeSpan? serverTimeout = null, TimeSpan? maxReconnect = null) => new()
    {
        KeepAliveInterval = keepAlive ?? TimeSpan.FromSeconds(10),
        ServerTimeout = serverTimeout ?? TimeSpan.FromSeconds(10),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        MinReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = maxReconnect ?? TimeSpan.FromMilliseconds(200),
    };

    public HubListener Listener { get; }

    public Task Run { get; }

    public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();

    public CapturingLogger Log { get; } = new();

    /// <summary>What the SignalR client itself logged, down to Trace.</summary>
    public CapturingLogger ClientLog { get; } = new();

    /// <summary>How many times the listener asked for an endpoint.</summary>
    public int Negotiations => Volatile.Read(ref _negotiations);

    public static ListenerRun Start(ScriptedHubServer server, HubListenerOptions? options = null, Func<ConfigUpdated, Task>? onUpdated = null) =>
        new(options ?? Fast(), n => new HubEndpoint(server.HubUrl, $"token-{n}"), onUpdated);

    public static ListenerRun Start(HubListenerOptions options, Func<int, HubEndpoint> endpoint) => new(options, endpoint, null);

    public async Task<string> NextAsync(double seconds = 10)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            return await Events.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"the listener reported nothing within {seconds} s; its log:\n{Log}");
            throw;
        }
    }

    public async Task<string?> NextOrNullAsync(double seconds)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            return await Events.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Stops the listener and checks that it ended quietly and that neither it nor the client logged a token.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        var stopped = Stopwatch.StartNew();
        await Run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {stopped.Elapsed}");
        Assert.False(Listener.IsConnected);
        Assert.DoesNotContain("token-", Log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("token-", ClientLog.ToString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _stop.Dispose();
        _http.Dispose();
        _clientLogs.Dispose();
    }
}

/// <summary>Keeps every log line, at every level, with its structured values; as a provider, of every category.</summary>
internal sealed class CapturingLogger : ILogger, ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> _entries = new();

    public IReadOnlyCollection<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " | " + exception), values));
    }

    public override string ToString() => string.Join('\n', _entries.Select(e => $"[{e.Level}] {e.Message}"));
}
