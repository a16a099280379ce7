using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// A real HTTP/1.1 server on loopback that answers from a script, for what Azurite never does:
/// fail transiently, hang, or answer 412 where it answers 409. Every request is recorded.
/// A script returning null leaves the request unanswered (a hung service).
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Request, Reply?> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ScriptedHttpServer(Func<Request, Reply?> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public sealed record Request(string Method, string Target, IReadOnlyDictionary<string, string> Headers);

    public sealed record Reply(int Status, string Body = "", params (string Name, string Value)[] Headers);

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/devstoreaccount1");

    public ConcurrentQueue<Request> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var request = await ReadRequestAsync(stream, _stop.Token);
                    if (request is null)
                    {
                        return;
                    }
                    Requests.Enqueue(request);
                    if (_script(request) is not { } reply)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }
                    var body = Encoding.UTF8.GetBytes(reply.Body);
                    var head = new StringBuilder($"HTTP/1.1 {reply.Status} Scripted\r\nContent-Length: {body.Length}\r\n");
                    foreach (var (name, value) in reply.Headers)
                    {
                        head.Append(name).Append(": ").Append(value).Append("\r\n");
                    }
                    head.Append("\r\n");
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    private static async Task<Request?> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer))
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                return null;
            }
            buffer.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString([.. buffer]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (headers.TryGetValue("Content-Length", out var length) && int.Parse(length) is var remaining and > 0)
        {
            var body = new byte[remaining];
            await stream.ReadExactlyAsync(body, ct);
        }
        return new Request(requestLine[0], requestLine[1], headers);
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';
}
