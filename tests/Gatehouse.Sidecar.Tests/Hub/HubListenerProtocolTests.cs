using System.Diagnostics;
using System.Text.Json;
using Gatehouse.Sidecar.Hub;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Sidecar.Tests.Hub;

/// <summary>
/// The sidecar's listener, on the official SignalR client, against a scripted server over a real
/// WebSocket: what the server may do (push, ping, fall silent, close, redirect, refuse, move), and
/// what the sidecar does about it.
/// </summary>
public sealed class HubListenerProtocolTests
{
    private const string Cp = "6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e";

    private static string Push(string hash, string? invocationId = null) =>
        $$"""{"type":1,{{(invocationId is null ? "" : $"\"invocationId\":\"{invocationId}\",")}}"target":"configUpdated","arguments":[{"control_plane_id":"{{Cp}}","config_hash":"{{hash}}"}]}""" + "\u001e";

    [Fact]
    public async Task Pushes_reach_the_caller_and_pings_and_invocations_of_other_targets_do_not()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e{\"type\":6}\u001e" + Push("h1")
                + "{\"type\":1,\"target\":\"somethingElse\",\"arguments\":[1]}\u001e"
                + "{\"type\":1,\"target\":\"configUpdated\",\"arguments\":[{\"control_plane_id\":\"" + Cp + "\"}]}\u001e"
                + Push("h2"));
            await c.Gone;
        };
        await using var run = ListenerRun.Start(server);

        Assert.Equal("connected", await run.NextAsync());
        Assert.True(run.Listener.IsConnected);
        Assert.Equal($"{Cp}:h1", await run.NextAsync());
        Assert.Equal($"{Cp}:h2", await run.NextAsync());
        Assert.Null(await run.NextOrNullAsync(0.3));
        Assert.Single(server.Connects);
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("without the expected argument", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task Server_pings_alone_keep_a_quiet_connection_alive()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e");
            while (!c.Gone.IsCompleted)
            {
                await c.SendAsync("{\"type\":6}\u001e");
                await Task.Delay(100);
            }
        };
        await using var run = ListenerRun.Start(server, ListenerRun.Fast(serverTimeout: TimeSpan.FromMilliseconds(500)));

        Assert.Equal("connected", await run.NextAsync());
        // Four server timeouts' worth of pings and nothing else.
        Assert.Null(await run.NextOrNullAsync(2));
        Assert.True(run.Listener.IsConnected);
        Assert.Single(server.Connects);
        Assert.Equal(1, run.Negotiations);
        await run.StopAsync();
    }

    [Fact]
    public async Task A_silent_server_is_given_up_after_the_server_timeout_and_the_client_negotiates_afresh()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        var timeout = TimeSpan.FromMilliseconds(600);
        await using var run = ListenerRun.Start(server, ListenerRun.Fast(serverTimeout: timeout));

        Assert.Equal("connected", await run.NextAsync());
        var connectedAt = Stopwatch.StartNew();
        var first = await server.Accepted.Reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal("connected", await run.NextAsync());
        Assert.True(connectedAt.Elapsed >= timeout * 0.9, $"reconnected after {connectedAt.Elapsed}, before the server timeout");
        await first.Gone.WaitAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Equal(2, run.Negotiations);
        // The reconnect carries the token of Gatehouse's second answer, as a header and never in the URL.
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.Connects.Select(c => c.Authorization));
        Assert.All(server.Connects, c => Assert.Null(c.QueryToken));
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Server timeout", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task A_close_allowing_reconnect_brings_a_fresh_negotiate_and_handshake_and_its_error_is_logged()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e");
            if (c.Index == 0)
            {
                await c.SendAsync("{\"type\":7,\"error\":\"Server is shutting down.\",\"allowReconnect\":true}\u001e");
                await c.Gone;
                return;
            }
            await c.SendAsync(Push("after"));
            await c.Gone;
        };
        await using var run = ListenerRun.Start(server);

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal($"{Cp}:after", await run.NextAsync());
        Assert.Equal(2, run.Negotiations);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.Negotiations.Select(n => n.Authorization));
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.Connects.Select(c => c.Authorization));
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Server is shutting down.", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task A_close_forbidding_reconnect_is_still_followed_by_a_reconnect_after_the_long_delay()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e");
            if (c.Index == 0)
            {
                await c.SendAsync("{\"type\":7,\"error\":\"Go away.\"}\u001e");
            }
            await c.Gone;
        };
        var max = TimeSpan.FromMilliseconds(800);
        await using var run = ListenerRun.Start(server, ListenerRun.Fast(maxReconnect: max));

        Assert.Equal("connected", await run.NextAsync());
        var closedAt = Stopwatch.StartNew();
        Assert.Equal("connected", await run.NextAsync());
        Assert.True(closedAt.Elapsed >= max / 2 * 0.9, $"came back after {closedAt.Elapsed}");
        Assert.Equal(2, run.Negotiations);
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Go away.", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task A_reconnect_that_Gatehouse_sends_to_another_hub_connects_there_with_the_new_token()
    {
        await using var first = await ScriptedHubServer.StartAsync();
        await using var second = await ScriptedHubServer.StartAsync();
        first.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e{\"type\":7,\"allowReconnect\":true}\u001e");
            await c.Gone;
        };
        second.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e" + Push("moved"));
            await c.Gone;
        };
        // Gatehouse's first answer names the first hub, every later one the second (as when the deployment moves to Azure SignalR Service).
        await using var run = ListenerRun.Start(ListenerRun.Fast(), n => new HubEndpoint(n == 1 ? first.HubUrl : second.HubUrl, $"token-{n}"));

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal($"{Cp}:moved", await run.NextAsync());
        Assert.Equal("Bearer token-1", Assert.Single(first.Connects).Authorization);
        // The answer that said "moved" is the one connected with: no extra negotiate.
        Assert.Equal("Bearer token-2", Assert.Single(second.Connects).Authorization);
        Assert.Equal(2, run.Negotiations);
        Assert.Contains(run.Log.Entries, e => e.Message.Contains("moved", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task A_negotiate_redirect_chain_is_followed_with_each_hops_token_to_the_connection()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Negotiate = path => path switch
        {
            "/r0" => $$"""{"url":"{{new Uri(server.BaseUrl, "/r1")}}","accessToken":"hop-1"}""",
            // No token: the one in hand goes on.
            "/r1" => $$"""{"url":"{{server.HubUrl}}"}""",
            _ => null,
        };
        await using var run = ListenerRun.Start(ListenerRun.Fast(), n => new HubEndpoint(new Uri(server.BaseUrl, "/r0"), $"token-{n}"));

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal([("/r0", "Bearer token-1"), ("/r1", "Bearer hop-1"), ("/hub", "Bearer hop-1")], server.Negotiations.Select(n => (n.Path, n.Authorization)));
        Assert.All(server.Negotiations, n => Assert.Contains("negotiateVersion=1", n.Query, StringComparison.Ordinal));
        Assert.Equal((null, ScriptedHubServer.ConnectionToken, "Bearer hop-1"), Assert.Single(server.Connects));
        Assert.DoesNotContain("hop-1", run.Log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hop-1", run.ClientLog.ToString(), StringComparison.Ordinal);
        await run.StopAsync();
    }

    [Fact]
    public async Task An_endless_redirect_is_given_up_after_a_bounded_number_of_hops_and_tried_again_later()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Negotiate = path => $$"""{"url":"{{new Uri(server.BaseUrl, "/loop")}}","accessToken":"loop"}""";
        await using var run = ListenerRun.Start(ListenerRun.Fast(), n => new HubEndpoint(new Uri(server.BaseUrl, "/loop"), $"token-{n}"));

        while (run.Negotiations < 3)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        await run.StopAsync();
        Assert.Empty(server.Connects);
        // The official client's bound: 100 negotiate requests per attempt.
        Assert.False(server.Negotiations.Count > run.Negotiations * 100, $"{server.Negotiations.Count} negotiate requests for {run.Negotiations} attempts");
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("redirection limit", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"error":"Negotiate refused."}""", "Negotiate refused.")]
    [InlineData("""{"connectionId":"c","connectionToken":"t","negotiateVersion":1,"availableTransports":[{"transport":"LongPolling","transferFormats":["Text","Binary"]}]}""", "disabled by the client")]
    [InlineData("""{"negotiateVersion":1,"availableTransports":[{"transport":"WebSockets","transferFormats":["Text"]}]}""", "Missing required property 'connectionId'")]
    [InlineData("""not json""", "negotiation response")]
    public async Task A_negotiate_that_cannot_lead_to_a_WebSocket_is_logged_and_retried(string answer, string logged)
    {
        await using var server = await ScriptedHubServer.StartAsync();
        var answers = 0;
        server.Negotiate = _ => Interlocked.Increment(ref answers) == 1 ? answer : null;
        await using var run = ListenerRun.Start(server);

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal(2, run.Negotiations);
        Assert.True(run.Log.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains(logged, StringComparison.Ordinal)), run.Log.ToString());
        await run.StopAsync();
    }

    [Fact]
    public async Task A_refused_token_fails_the_attempt_and_the_next_attempt_negotiates_a_new_one()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        // The hub takes only the second token Gatehouse hands out: the first has expired, say.
        server.Authorize = authorization => authorization != "Bearer token-1";
        await using var run = ListenerRun.Start(server);

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal(2, run.Negotiations);
        Assert.Equal("Bearer token-2", Assert.Single(server.Connects).Authorization);
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("401", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task A_handshake_error_fails_the_attempt_with_the_error_logged_and_the_next_attempt_connects()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync(c.Index == 0 ? "{\"error\":\"Requested protocol 'json' is not available.\"}\u001e" : "{}\u001e");
            await c.Gone;
        };
        await using var run = ListenerRun.Start(server);

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal(2, server.Connects.Count);
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Requested protocol 'json' is not available.", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task The_client_pings_at_its_interval_and_never_invokes_the_server_even_when_asked_for_a_result()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        ScriptedConnection? connection = null;
        server.Script = async c =>
        {
            connection = c;
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e" + Push("asked", invocationId: "42") + Push("told"));
            while (!c.Gone.IsCompleted)
            {
                await c.SendAsync("{\"type\":6}\u001e");
                await Task.Delay(100);
            }
        };
        await using var run = ListenerRun.Start(server, ListenerRun.Fast(keepAlive: TimeSpan.FromSeconds(1)));

        Assert.Equal("connected", await run.NextAsync());
        // A push is a push, whether or not the server (wrongly) asked for a result.
        Assert.Equal($"{Cp}:asked", await run.NextAsync());
        Assert.Equal($"{Cp}:told", await run.NextAsync());
        await Task.Delay(TimeSpan.FromSeconds(3.5), TestContext.Current.CancellationToken);
        var sent = connection!.Sent.ToArray();
        Assert.Equal(ScriptedConnection.Handshake, sent[0]);
        var types = sent.Skip(1).Select(m => JsonDocument.Parse(m).RootElement.GetProperty("type").GetInt32()).ToArray();
        // Pings, and the official client's one answer to the request for a result: "no result" (a completion, type 3, for invocation 42).
        Assert.InRange(types.Count(t => t == 6), 2, 5);
        var completion = Assert.Single(sent.Skip(1), m => m.Contains("\"type\":3", StringComparison.Ordinal));
        Assert.Contains("\"invocationId\":\"42\"", completion, StringComparison.Ordinal);
        Assert.All(types, t => Assert.Contains(t, new[] { 3, 6 }));
        await run.StopAsync();
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("not-an-object")]
    [InlineData("binary-garbage")]
    public async Task A_protocol_error_drops_the_connection_and_the_client_comes_back(string kind)
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e");
            if (c.Index == 0)
            {
                await c.SendAsync(kind switch
                {
                    "malformed" => "{\"type\":1,\"target\":\u001e",
                    "not-an-object" => "[1,2,3]\u001e",
                    _ => "\u0000\u0001\u00ff\u001e",
                });
            }
            else
            {
                await c.SendAsync(Push("fine"));
            }
            await c.Gone;
        };
        await using var run = ListenerRun.Start(server);

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal($"{Cp}:fine", await run.NextAsync());
        await run.StopAsync();
    }

    [Fact]
    public async Task A_slow_or_failing_handler_neither_stalls_the_reader_nor_stops_the_listening()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        server.Script = async c =>
        {
            await c.ExpectHandshakeAsync();
            await c.SendAsync("{}\u001e" + Push("slow") + Push("throws") + Push("after"));
            while (!c.Gone.IsCompleted)
            {
                await c.SendAsync("{\"type\":6}\u001e");
                await Task.Delay(100);
            }
        };
        await using var run = ListenerRun.Start(server, ListenerRun.Fast(serverTimeout: TimeSpan.FromMilliseconds(500)), async update =>
        {
            if (update.ConfigHash == "slow")
            {
                // Longer than the server timeout: the pings must still be read meanwhile.
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
            if (update.ConfigHash == "throws")
            {
                throw new InvalidOperationException("the caller's fetch failed");
            }
        });

        Assert.Equal("connected", await run.NextAsync());
        Assert.Equal($"{Cp}:slow", await run.NextAsync());
        Assert.Equal($"{Cp}:throws", await run.NextAsync());
        Assert.Equal($"{Cp}:after", await run.NextAsync());
        Assert.Single(server.Connects);
        Assert.Contains(run.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("handler", StringComparison.Ordinal));
        await run.StopAsync();
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_retried_with_backoff_until_it_is()
    {
        var port = Gatehouse.Testing.LoopbackPort.Unused();
        await using var run = ListenerRun.Start(ListenerRun.Fast(), n => new HubEndpoint(new Uri($"http://127.0.0.1:{port}/hub"), $"token-{n}"));
        while (run.Negotiations < 4)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.False(run.Listener.IsConnected);
        Assert.Contains(run.Log.Entries, e => e.State.Any(p => p.Key == "DelayMs") && e.State.Any(p => p.Key == "Attempt"));
        await run.StopAsync();
    }

    [Fact]
    public async Task Stopping_ends_the_connection_at_once_and_returns_quietly()
    {
        await using var server = await ScriptedHubServer.StartAsync();
        await using var run = ListenerRun.Start(server);
        Assert.Equal("connected", await run.NextAsync());
        var connection = await server.Accepted.Reader.ReadAsync(TestContext.Current.CancellationToken);

        await run.StopAsync();
        await connection.Gone.WaitAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
    }
}
