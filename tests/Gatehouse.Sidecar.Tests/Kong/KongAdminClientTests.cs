using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Sidecar.Kong;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Sidecar.Tests.Kong;

/// <summary>The sidecar's Kong client against the Kong Admin API stand-in, and against answers Kong never gives.</summary>
public sealed class KongAdminClientTests : IAsyncLifetime
{
    private readonly KongAdminStandIn _kong = new(new KongNodeOptions
    {
        Version = "3.9.1",
        Hostname = "kong-1",
        Plugins = new Dictionary<string, int> { ["key-auth"] = 1250, ["rate-limiting"] = 910 },
        PluginVersions = new Dictionary<string, string> { ["rate-limiting"] = "2.0.0" },
    });
    private HttpClient _http = null!;
    private KongAdminClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await _kong.StartAsync(TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _kong.BaseAddress };
        _client = new KongAdminClient(_http);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _kong.DisposeAsync();
    }

    [Fact]
    public async Task The_node_is_read_with_its_plugins_and_their_versions()
    {
        var node = await _client.GetNodeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(_kong.Node.NodeId, node.NodeId);
        Assert.Equal("kong-1", node.Hostname);
        Assert.Equal("3.9.1", node.Version);
        Assert.Equal([new NodePlugin("key-auth", "3.9.1"), new NodePlugin("rate-limiting", "2.0.0")], node.Plugins);
    }

    [Fact]
    public async Task An_applied_config_is_what_Kong_then_reports_as_its_hash()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = RenderedConfig().Json;
        Assert.Equal(KongAdminStandIn.EmptyConfigHash, await _client.GetConfigurationHashAsync(ct));

        var result = await _client.ApplyAsync(config, ct);

        var hash = KongAdminClient.HashOf(config.Span);
        Assert.Equal(new KongApplyResult.Applied(hash), result);
        Assert.Equal(hash, await _client.GetConfigurationHashAsync(ct));
        Assert.Equal(Encoding.UTF8.GetString(config.Span), _kong.CurrentConfig);
    }

    [Fact]
    public async Task A_config_of_many_segments_reaches_Kong_byte_for_byte_with_its_length_declared()
    {
        var ct = TestContext.Current.CancellationToken;
        // One long tag: what JSON escapes a second time on the way to Kong, and characters of two, three and
        // four bytes each split at a segment boundary after each of their bytes but the last.
        var config = new List<byte>("""{"_format_version":"3.0","services":[{"name":"s","host":"h.internal","tags":["""u8.ToArray());
        (string Character, int BytesBefore)[] straddling = [("é", 1), ("✓", 1), ("✓", 2), ("😀", 1), ("😀", 2), ("😀", 3)];
        string[] filler = ["\\\"", "\\\\", "\\n", "\\u0001", "\u2028", "</script>", "\u007f"];
        for (var k = 0; k < straddling.Length; k++)
        {
            var until = (k + 1) * KongConfigContent.SegmentBytes - straddling[k].BytesBefore;
            for (var i = 0; config.Count + 9 < until; i++)
            {
                config.AddRange(Encoding.UTF8.GetBytes(filler[i % filler.Length]));
            }
            while (config.Count < until)
            {
                config.Add((byte)'x');
            }
            config.AddRange(Encoding.UTF8.GetBytes(straddling[k].Character));
        }
        config.AddRange("\"]}]}"u8.ToArray());
        var bytes = config.ToArray();

        var result = await _client.ApplyAsync(bytes, ct);

        Assert.Equal(new KongApplyResult.Applied(KongAdminClient.HashOf(bytes)), result);
        Assert.Equal(Encoding.UTF8.GetString(bytes), _kong.CurrentConfig);
        var body = Assert.NotNull(_kong.LastConfigBody);
        Assert.Equal(body.Received, body.Declared);
    }

    [Fact]
    public async Task The_same_config_again_is_unchanged_and_not_reloaded()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = RenderedConfig().Json;

        await _client.ApplyAsync(config, ct);
        var again = await _client.ApplyAsync(config, ct);

        Assert.Equal(new KongApplyResult.Unchanged(KongAdminClient.HashOf(config.Span)), again);
        Assert.Single(_kong.Loads);
    }

    [Fact]
    public async Task A_refused_config_is_rejected_with_Kongs_message_and_the_entity_at_fault()
    {
        _kong.RejectNextWith("uniqueness violation: 'services' entity with name set to 'orders' already declared");

        var result = Assert.IsType<KongApplyResult.Rejected>(await _client.ApplyAsync(RenderedConfig().Json, TestContext.Current.CancellationToken));

        Assert.Equal("declarative config is invalid: {}", result.Message);
        var details = JsonNode.Parse(result.Details)!.AsArray();
        var error = Assert.Single(details)!;
        Assert.Equal("service", (string?)error["entity_type"]);
        Assert.Equal("orders", (string?)error["entity_name"]);
        Assert.Null(error["entity"]);
        Assert.Equal("uniqueness violation: 'services' entity with name set to 'orders' already declared", (string?)error["errors"]![0]!["message"]);
        Assert.Equal(KongAdminStandIn.EmptyConfigHash, _kong.CurrentHash);
    }

    [Fact]
    public async Task Many_errors_are_cut_to_two_kilobytes_of_valid_json_that_says_how_many_were_left_out()
    {
        var services = string.Join(",", Enumerable.Range(0, 200).Select(i => $$"""{"name":"s{{i}}","host":"h","port":"not-a-port","unknown_{{i}}":true}"""));
        var config = Encoding.UTF8.GetBytes($$"""{"_format_version":"3.0","services":[{{services}}]}""");

        var result = Assert.IsType<KongApplyResult.Rejected>(await _client.ApplyAsync(config, TestContext.Current.CancellationToken));

        Assert.InRange(Encoding.UTF8.GetByteCount(result.Details), 1, KongRejection.MaxDetailsBytes);
        var details = JsonNode.Parse(result.Details)!.AsArray();
        Assert.Equal("service", (string?)details[0]!["entity_type"]);
        Assert.Equal(200, details.Count - 1 + (int)details[^1]!["omitted"]!);
        Assert.InRange(result.Message.Length, 1, KongRejection.MaxMessageChars);
    }

    [Fact]
    public async Task A_busy_Kong_is_unavailable_for_as_long_as_it_says()
    {
        _kong.Busy = true;
        _kong.BusyRetryAfterSeconds = 2;

        var result = Assert.IsType<KongApplyResult.Unavailable>(await _client.ApplyAsync(RenderedConfig().Json, TestContext.Current.CancellationToken));

        Assert.Equal(TimeSpan.FromSeconds(2), result.RetryAfter);
        Assert.Contains("Currently loading previous configuration", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_listening_is_unavailable_not_an_exception()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{LoopbackPort.Unused()}/") };
        var client = new KongAdminClient(http);

        var result = await client.ApplyAsync(RenderedConfig().Json, TestContext.Current.CancellationToken);

        Assert.IsType<KongApplyResult.Unavailable>(result);
        await Assert.ThrowsAsync<KongAdminException>(() => client.GetNodeAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(500, "text/html", "<html>oops</html>", typeof(KongApplyResult.Unavailable))]
    [InlineData(502, "text/plain", "Bad Gateway", typeof(KongApplyResult.Unavailable))]
    [InlineData(503, "application/json", """{"message":"Kong currently exiting"}""", typeof(KongApplyResult.Unavailable))]
    [InlineData(504, "application/json", """{"message":"Timed out while loading configuration"}""", typeof(KongApplyResult.Unavailable))]
    [InlineData(404, "application/json", """{"message":"Not found"}""", typeof(KongApplyResult.Unavailable))]
    [InlineData(400, "text/plain", "not json at all", typeof(KongApplyResult.Rejected))]
    [InlineData(400, "application/json", "[1,2", typeof(KongApplyResult.Rejected))]
    [InlineData(400, "application/json", """{"message":7,"flattened_errors":"x","fields":[1,{"a":null}]}""", typeof(KongApplyResult.Rejected))]
    [InlineData(413, "application/json", """{"message":"Configuration does not fit in LMDB database"}""", typeof(KongApplyResult.Rejected))]
    public async Task Odd_answers_are_unavailable_or_rejected_never_an_exception(int status, string contentType, string body, Type expected)
    {
        await using var server = await ScriptedHttpServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        }, TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var result = await new KongAdminClient(http).ApplyAsync(RenderedConfig().Json, TestContext.Current.CancellationToken);

        Assert.IsType(expected, result);
        if (result is KongApplyResult.Rejected rejected)
        {
            Assert.NotNull(JsonNode.Parse(rejected.Details));
        }
    }

    [Fact]
    public async Task A_fractional_retry_after_is_read_as_Kong_sends_it()
    {
        await using var server = await ScriptedHttpServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "0.5";
            await context.Response.WriteAsync("""{"message":"Currently loading previous configuration"}""");
        }, TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var result = await new KongAdminClient(http).ApplyAsync(RenderedConfig().Json, TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromMilliseconds(500), Assert.IsType<KongApplyResult.Unavailable>(result).RetryAfter);
    }

    [Fact]
    public async Task Bytes_that_are_not_http_are_unavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
            await socket.SendAsync("SSH-2.0-OpenSSH_9.6\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            socket.Shutdown(SocketShutdown.Both);
        }, TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/") };

        var result = await new KongAdminClient(http).ApplyAsync(RenderedConfig().Json, TestContext.Current.CancellationToken);

        Assert.IsType<KongApplyResult.Unavailable>(result);
        await serve;
    }

    [Fact]
    public async Task A_Kong_that_does_not_answer_in_time_is_unavailable_but_cancelling_throws()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ScriptedHttpServer.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted), ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };
        var client = new KongAdminClient(http);

        Assert.IsType<KongApplyResult.Unavailable>(await client.ApplyAsync(RenderedConfig().Json, ct));

        using var patient = new HttpClient { BaseAddress = server.BaseAddress };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new KongAdminClient(patient).ApplyAsync(RenderedConfig().Json, cancel.Token));
    }

    [Fact]
    public async Task A_status_without_a_configuration_hash_is_a_Kong_that_is_not_db_less()
    {
        await using var server = await ScriptedHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"database":{"reachable":true},"server":{"total_requests":1}}""");
        }, TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Null(await new KongAdminClient(http).GetConfigurationHashAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Invalid_utf8_is_rejected_before_Kong_sees_it()
    {
        var result = await _client.ApplyAsync(new byte[] { 0x7b, 0xff, 0x7d }, TestContext.Current.CancellationToken);

        Assert.IsType<KongApplyResult.Rejected>(result);
        Assert.Empty(_kong.Loads);
    }

    [Fact]
    public void The_hash_is_the_md5_of_the_bytes_in_lowercase_hex() =>
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", KongAdminClient.HashOf([]));

    // A service, a route and a plugin as Gatehouse renders them, with non-ASCII text so that the hash
    // check covers the escaping on the way to Kong.
    private static RenderedConfig RenderedConfig() =>
        DeclarativeConfig.Write(new Dictionary<string, IReadOnlyList<JsonObject>>
        {
            ["services"] = [new JsonObject
            {
                ["id"] = "0855b320-0dd2-547d-891d-601e9b38647f",
                ["name"] = "orders",
                ["host"] = "orders.internal",
                ["port"] = 8080,
                ["protocol"] = "http",
                ["tags"] = new JsonArray("équipe-✓"),
            }],
            ["routes"] = [new JsonObject
            {
                ["id"] = "1b3c5e7f-0000-4000-8000-000000000001",
                ["name"] = "orders-route",
                ["paths"] = new JsonArray("/orders"),
                ["service"] = new JsonObject { ["id"] = "0855b320-0dd2-547d-891d-601e9b38647f" },
            }],
            ["plugins"] = [new JsonObject
            {
                ["id"] = "1b3c5e7f-0000-4000-8000-000000000002",
                ["name"] = "rate-limiting",
                ["config"] = new JsonObject { ["minute"] = 5, ["policy"] = "local" },
            }],
        });
}
