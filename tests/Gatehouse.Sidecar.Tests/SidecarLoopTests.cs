using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Sidecar.ControlPlane;
using Gatehouse.Sidecar.Kong;
using Gatehouse.Sidecar.Tests.Kong;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Sidecar.Tests;

/// <summary>
/// The sync loop against a control plane scripted to misbehave (the real one is in the end-to-end
/// tests) and a Kong stand-in: what reaches Kong, the cache and the heartbeats.
/// </summary>
public sealed class SidecarLoopTests : IAsyncDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "gatehouse-loop-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<JsonElement> _beats = new();
    private readonly ConcurrentQueue<(string NodeId, string FactsHash)> _pulls = new();
    private readonly KongAdminStandIn _kong = new(new KongNodeOptions { Version = "3.9.1" });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _kong.DisposeAsync();
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    private static byte[] Config(string service) =>
        Encoding.UTF8.GetBytes($$"""{"_format_version":"3.0","services":[{"name":"{{service}}","host":"{{service}}.internal"}]}""");

    /// <summary>A control plane answering config requests with <paramref name="config"/> under <paramref name="etag"/>, and recording heartbeats.</summary>
    private Task<ScriptedHttpServer> ControlPlaneAsync(byte[] config, Func<string> etag) =>
        ScriptedHttpServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/v1/dp/heartbeat")
            {
                _beats.Enqueue(await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body));
                await context.Response.WriteAsync("{}");
                return;
            }
            if (context.Request.Path == "/v1/dp/config")
            {
                _pulls.Enqueue((context.Request.Query["node_id"].ToString(), context.Request.Query["node_facts_hash"].ToString()));
                var tag = $"\"{etag()}\"";
                if (context.Request.Headers.IfNoneMatch == tag)
                {
                    context.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
                context.Response.Headers.ETag = tag;
                await context.Response.Body.WriteAsync(config);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }, Ct);

    private async Task<(SidecarLoop Loop, Task Running, CancellationTokenSource Stop)> StartAsync(Uri controlPlane)
    {
        await _kong.StartAsync(Ct);
        var options = new SidecarOptions
        {
            ControlPlaneUrl = controlPlane,
            CertificateFile = "(none)",
            PollInterval = TimeSpan.FromMilliseconds(200),
            HeartbeatInterval = TimeSpan.FromSeconds(30),
        };
        var loop = new SidecarLoop(options, new ControlPlaneClient(new HttpClient { BaseAddress = controlPlane }),
            new KongAdminClient(new HttpClient { BaseAddress = _kong.BaseAddress }), new ConfigCache(_cache), hub: null, NullLogger<SidecarLoop>.Instance);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        return (loop, Task.Run(() => loop.RunAsync(stop.Token), Ct), stop);
    }

    private Task UntilAsync(Func<bool> done, string what) => Eventually.TrueAsync(done, TimeSpan.FromSeconds(15), () => what, Ct);

    [Fact]
    public async Task A_config_that_does_not_match_its_hash_is_never_applied_nor_cached_and_the_heartbeat_says_so()
    {
        var config = Config("orders");
        var wrong = ConfigHash.Of(Config("other")).Config;
        await using var controlPlane = await ControlPlaneAsync(config, () => wrong);
        var (_, running, stop) = await StartAsync(controlPlane.BaseAddress);

        await UntilAsync(() => _beats.Any(b => b.TryGetProperty("error", out _)), "a heartbeat reports the mismatch");
        await Task.Delay(600, Ct); // a few more polls: still nothing applied
        await stop.CancelAsync();
        await running;

        Assert.Empty(_kong.Loads);
        Assert.False(Directory.Exists(_cache) && Directory.EnumerateFiles(_cache).Any());
        var error = _beats.First(b => b.TryGetProperty("error", out _)).GetProperty("error");
        Assert.Contains("does not match its hash", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(_beats, b => Assert.Equal("", b.GetProperty("config_hash").GetString()));
    }

    [Fact]
    public async Task A_matching_config_is_cached_applied_and_reported_and_asked_for_again_with_its_hash()
    {
        var config = Config("orders");
        var hash = ConfigHash.Of(config).Config;
        await using var controlPlane = await ControlPlaneAsync(config, () => hash);
        var (loop, running, stop) = await StartAsync(controlPlane.BaseAddress);

        await UntilAsync(() => _beats.Any(b => b.GetProperty("config_hash").GetString() == hash), "a heartbeat reports the config");
        await Task.Delay(600, Ct); // polls answered 304: nothing loaded twice
        await stop.CancelAsync();
        await running;

        Assert.Equal(hash, loop.RunningHash);
        Assert.Single(_kong.Loads);
        Assert.Equal(KongAdminClient.HashOf(config), _kong.CurrentHash);
        Assert.Equal(hash, (await new ConfigCache(_cache).ReadAsync(null, Ct))!.Value.Hash);
        var beat = _beats.Last();
        Assert.Equal(_kong.Node.NodeId.ToString(), beat.GetProperty("node_id").GetString());
        Assert.Equal("3.9.1", beat.GetProperty("version").GetString());
        Assert.Contains(beat.GetProperty("plugins").EnumerateArray(), p => p.GetProperty("name").GetString() == "key-auth");
        // Every pull names the node and the hash of the facts its heartbeats send, as the control plane computes it from them.
        var facts = NodeFacts.Hash(beat.GetProperty("version").GetString()!, [.. beat.GetProperty("plugins").EnumerateArray()
            .Select(p => new NodePlugin(p.GetProperty("name").GetString()!, p.TryGetProperty("version", out var v) ? v.GetString() : null))]);
        Assert.True(_pulls.Count > 1);
        Assert.All(_pulls, pull => Assert.Equal((beat.GetProperty("node_id").GetString()!, facts), pull));
    }

    [Fact]
    public async Task Kong_refusing_a_config_keeps_the_last_good_one_and_does_not_retry_it()
    {
        var good = Config("orders");
        var goodHash = ConfigHash.Of(good).Config;
        var bad = Config("orders-v2");
        var badHash = ConfigHash.Of(bad).Config;
        var serve = good;
        await using var controlPlane = await ScriptedHttpServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/v1/dp/heartbeat")
            {
                _beats.Enqueue(await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body));
                return;
            }
            var current = serve;
            context.Response.Headers.ETag = $"\"{ConfigHash.Of(current).Config}\"";
            await context.Response.Body.WriteAsync(current);
        }, Ct);
        var (loop, running, stop) = await StartAsync(controlPlane.BaseAddress);
        await UntilAsync(() => loop.RunningHash == goodHash, "the good config runs");

        _kong.RejectAll(true, "schema violation (test)");
        serve = bad;
        await UntilAsync(() => _beats.Any(b => b.TryGetProperty("error", out var e) && e.GetProperty("config_hash").GetString() == badHash), "the refusal is reported");
        var attempts = _beats.Count;
        await Task.Delay(600, Ct);
        await stop.CancelAsync();
        await running;

        Assert.Equal(goodHash, loop.RunningHash);
        Assert.Equal(KongAdminClient.HashOf(good), _kong.CurrentHash);
        var error = _beats.Last().GetProperty("error");
        Assert.Contains("schema violation (test)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(goodHash, _beats.Last().GetProperty("config_hash").GetString());
        // Refused once, not at every poll.
        Assert.Equal(attempts, _beats.Count);
    }
}
