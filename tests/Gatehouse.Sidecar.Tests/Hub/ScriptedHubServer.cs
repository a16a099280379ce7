using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Sidecar.Tests.Hub;

/// <summary>
/// A hub server whose every word the test scripts: SignalR's negotiate on <c>POST {path}/negotiate</c>
/// (a connection answer on <see cref="HubPath"/> by default, or whatever <see cref="Negotiate"/>
/// says), and the WebSocket on <see cref="HubPath"/>, where <see cref="Script"/> runs once per
/// connection. Kestrel on a loopback port; it records what clients sent.
/// </summary>
internal sealed class ScriptedHubServer : IAsyncDisposable
{
    public const string HubPath = "/hub";
    public const string ConnectionToken = "conn-secret-1";
    public const string ConnectionId = "conn-id-1";

    private readonly WebApplication _app;
    private int _connections;

    private ScriptedHubServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public Uri HubUrl => new(BaseUrl, HubPath);

    /// <summary>The negotiate answer (JSON) for a hub path; null for the default connection answer. Set before the client starts.</summary>
    public Func<string, string?> Negotiate { get; set; } = _ => null;

    /// <summary>Whether the server takes a request's Authorization header (negotiate and WebSocket alike); refused ones get 401.</summary>
    public Func<string?, bool> Authorize { get; set; } = _ => true;

    /// <summary>What the server does on a connection, given it and its index (0 first).</summary>
    public Func<ScriptedConnection, Task> Script { get; set; } = c => c.AcceptThenHoldAsync();

    public ConcurrentQueue<(string Path, string? Authorization, string Query)> Negotiations { get; } = new();

    /// <summary>Every WebSocket request: the token if one came in the query (where no token should be), the connection id, the Authorization header.</summary>
    public ConcurrentQueue<(string? QueryToken, string? Id, string? Authorization)> Connects { get; } = new();

    /// <summary>Every connection, as it is accepted.</summary>
    public Channel<ScriptedConnection> Accepted { get; } = Channel.CreateUnbounded<ScriptedConnection>();

    public static string ConnectionAnswer(int version = 1) => version >= 1
        ? $$"""{"connectionToken":"{{ConnectionToken}}","connectionId":"{{ConnectionId}}","negotiateVersion":1,"availableTransports":[{"transport":"ServerSentEvents","transferFormats":["Text"]},{"transport":"WebSockets","transferFormats":["Text","Binary"]}]}"""
        : $$"""{"connectionId":"{{ConnectionId}}","negotiateVersion":0,"availableTransports":[{"transport":"WebSockets","transferFormats":["Text","Binary"]}]}""";

    public static async Task<ScriptedHubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var url = $"http://127.0.0.1:{LoopbackPort.Unused()}";
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedHubServer(app, new Uri(url));
        // Protocol-level WebSocket pings off: only hub messages should count as the server's traffic.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Use(server.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    private async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        var authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
        if (HttpMethods.IsPost(context.Request.Method) && path.EndsWith("/negotiate", StringComparison.Ordinal))
        {
            var hubPath = path[..^"/negotiate".Length];
            Negotiations.Enqueue((hubPath, authorization, context.Request.QueryString.Value ?? ""));
            if (!Authorize(authorization))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            var answer = Negotiate(hubPath) ?? (hubPath == HubPath ? ConnectionAnswer() : null);
            if (answer is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer, context.RequestAborted);
            return;
        }
        if (path == HubPath && context.WebSockets.IsWebSocketRequest)
        {
            Connects.Enqueue((context.Request.Query["access_token"].FirstOrDefault(), context.Request.Query["id"].FirstOrDefault(), authorization));
            if (!Authorize(authorization))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new ScriptedConnection(socket, Interlocked.Increment(ref _connections) - 1);
            Accepted.Writer.TryWrite(connection);
            try
            {
                await Script(connection);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The client went away mid-script: what several tests make it do.
            }
            finally
            {
                await connection.EndAsync();
            }
            return;
        }
        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One accepted WebSocket: what the script sends, and the hub messages the client sent (read in the background).</summary>
internal sealed class ScriptedConnection
{
    public const string Handshake = """{"protocol":"json","version":1}""";

    private readonly WebSocket _socket;
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _all = new();
    private readonly Task _reader;

    public ScriptedConnection(WebSocket socket, int index)
    {
        _socket = socket;
        Index = index;
        _reader = ReadAsync();
    }

    public int Index { get; }

    /// <summary>Every hub message the client sent so far.</summary>
    public IReadOnlyCollection<string> Sent => _all;

    /// <summary>Completes when the client closed or dropped the connection.</summary>
    public Task Gone => _reader;

    public async Task ExpectHandshakeAsync()
    {
        Assert.Equal(Handshake, await _received.Reader.ReadAsync(Timeout(5)));
    }

    /// <summary>Sends one WebSocket message made of these frames (text); a hub message's separator is the script's to write.</summary>
    public async Task SendAsync(params string[] frames)
    {
        for (var i = 0; i < frames.Length; i++)
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(frames[i]), WebSocketMessageType.Text, endOfMessage: i == frames.Length - 1, Timeout(5));
        }
    }

    /// <summary>The default script: handshake, then listen until the client leaves.</summary>
    public async Task AcceptThenHoldAsync()
    {
        await ExpectHandshakeAsync();
        await SendAsync("{}\u001e");
        await Gone;
    }

    public async Task EndAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Timeout(1));
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
            }
        }
        _socket.Abort();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                pending.AddRange(buffer.AsSpan(0, received.Count));
                int end;
                while ((end = pending.IndexOf(0x1E)) >= 0)
                {
                    var message = Encoding.UTF8.GetString([.. pending.Take(end)]);
                    pending.RemoveRange(0, end + 1);
                    _all.Enqueue(message);
                    _received.Writer.TryWrite(message);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private static CancellationToken Timeout(int seconds)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source.Token;
    }
}
