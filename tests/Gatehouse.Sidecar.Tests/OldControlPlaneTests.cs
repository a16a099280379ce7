using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Composition;
using Gatehouse.Sidecar.ControlPlane;
using Gatehouse.Sidecar.Kong;
using Gatehouse.Sidecar.Metrics;
using Gatehouse.Sidecar.Tests.Hub;
using Gatehouse.Sidecar.Tests.Kong;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Sidecar.Tests;

/// <summary>
/// A sidecar reporting traffic, against a control plane from before analytics: one that reads
/// heartbeats strictly and answers a <c>metrics</c> field it does not know with the 400 such a
/// control plane gave (the data plane API's <c>{"message"}</c>, naming the field). The node's
/// heartbeats must still get through; its metrics come back when the control plane takes them.
/// </summary>
public sealed class OldControlPlaneTests : IAsyncDisposable
{
    // The fields of a heartbeat before analytics (HeartbeatJson's s_fields then).
    private static readonly HashSet<string> s_oldFields = ["node_id", "hostname", "version", "plugins", "config_hash", "labels", "error"];

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "gatehouse-old-cp-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<Beat> _beats = new();
    private readonly KongAdminStandIn _kong = new(new KongNodeOptions { Version = "3.9.1" });
    private readonly ManualClock _clock = new();
    private readonly CapturingLogger _log = new();
    private volatile bool _upgraded;
    private volatile string _refusal = "Invalid heartbeat. metrics: property metrics should not exist";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Beat(JsonElement Body, int Status)
    {
        public bool HasMetrics => Body.TryGetProperty("metrics", out _);

        public long Requests => HasMetrics
            ? Body.GetProperty("metrics").GetProperty("services").EnumerateArray()
                .SelectMany(s => s.GetProperty("requests").EnumerateObject()).Sum(c => c.Value.GetInt64())
            : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _kong.DisposeAsync();
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    /// <summary>The old control plane; once <see cref="_upgraded"/>, a new one that takes metrics.</summary>
    private Task<ScriptedHttpServer> ControlPlaneAsync()
    {
        var config = Encoding.UTF8.GetBytes("""{"_format_version":"3.0","services":[{"name":"orders","host":"orders.internal"}]}""");
        var hash = ConfigHash.Of(config).Config;
        return ScriptedHttpServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/v1/dp/heartbeat")
            {
                var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
                if (!_upgraded && body.EnumerateObject().Any(p => !s_oldFields.Contains(p.Name)))
                {
                    _beats.Enqueue(new Beat(body, 400));
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(JsonSerializer.Serialize(new { message = _refusal }));
                    return;
                }
                _beats.Enqueue(new Beat(body, 200));
                await context.Response.WriteAsync("{}");
                return;
            }
            if (context.Request.Path == "/v1/dp/config")
            {
                if (context.Request.Headers.IfNoneMatch == $"\"{hash}\"")
                {
                    context.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
                context.Response.Headers.ETag = $"\"{hash}\"";
                await context.Response.Body.WriteAsync(config);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }, Ct);
    }

    private async Task<(Task Running, CancellationTokenSource Stop)> StartAsync(Uri controlPlane)
    {
        await _kong.StartAsync(Ct);
        var options = new SidecarOptions
        {
            ControlPlaneUrl = controlPlane,
            CertificateFile = "(none)",
            PollInterval = TimeSpan.FromSeconds(30),
            HeartbeatInterval = TimeSpan.FromMilliseconds(150),
        };
        var kong = new KongAdminClient(new HttpClient { BaseAddress = _kong.BaseAddress });
        var loop = new SidecarLoop(options, new ControlPlaneClient(new HttpClient { BaseAddress = controlPlane }), kong, new ConfigCache(_cache),
            hub: null, NullLogger<SidecarLoop>.Instance, new TrafficReporter(kong, _clock, _log));
        var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        return (Task.Run(() => loop.RunAsync(stop.Token), Ct), stop);
    }

    private Task UntilAsync(Func<bool> done, string what) => Eventually.TrueAsync(done, TimeSpan.FromSeconds(15), () => $"{what}\n{_log}", Ct);

    /// <summary>Waits for <paramref name="count"/> more heartbeats to be taken than now.</summary>
    private Task TakenAsync(int count)
    {
        var target = _beats.Count(b => b.Status == 200) + count;
        return UntilAsync(() => _beats.Count(b => b.Status == 200) >= target, $"{count} more heartbeats taken");
    }

    private IEnumerable<string> Warnings => _log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message);

    [Fact]
    public async Task Heartbeats_refused_for_their_metrics_are_sent_again_without_them_and_metrics_are_offered_again_an_hour_later()
    {
        await using var controlPlane = await ControlPlaneAsync();
        var (running, stop) = await StartAsync(controlPlane.BaseAddress);
        // The first reading of Kong's counters is where counting starts: that heartbeat has no metrics, and is taken.
        await TakenAsync(1);

        // The first heartbeat with traffic is refused; the same heartbeat goes again without it, and is taken.
        _kong.Traffic.Count("orders", 200, 5, latencyMs: 30);
        await UntilAsync(() => _beats.Any(b => b.Status == 400) && _beats.SkipWhile(b => b.Status != 400).Count() > 1, "a heartbeat refused and the next request");
        var (refused, again) = (_beats.First(b => b.Status == 400), _beats.SkipWhile(b => b.Status != 400).ElementAt(1));
        Assert.True(refused is { HasMetrics: true, Requests: 5 }, $"refused: {refused}");
        Assert.True(again is { Status: 200, HasMetrics: false }, $"sent again: {again}");
        Assert.Equal(refused.Body.GetProperty("node_id").GetString(), again.Body.GetProperty("node_id").GetString());

        // Then no more metrics, whatever the traffic: every heartbeat is taken at the first try.
        _kong.Traffic.Count("orders", 500, 3, latencyMs: 30);
        await TakenAsync(4);
        Assert.Single(_beats, b => b.Status == 400);
        Assert.DoesNotContain(_beats, b => b.Status == 200 && b.HasMetrics);
        var warning = Assert.Single(Warnings);
        Assert.Contains("metrics: property metrics should not exist", warning, StringComparison.Ordinal);
        Assert.Contains("older than Gatehouse's analytics", warning, StringComparison.Ordinal);

        // An hour on, metrics are offered again (the control plane may have been upgraded); still old:
        // refused again, sent again without, and no second warning.
        _clock.Advance(TrafficReporter.RetryRefusedAfter);
        _kong.Traffic.Count("orders", 200, 2, latencyMs: 30);
        await UntilAsync(() => _beats.Count(b => b.Status == 400) == 2, "metrics offered again after an hour");
        await TakenAsync(2);
        Assert.Equal(2, _beats.Count(b => b.Status == 400));
        Assert.Single(Warnings);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("still refuses metrics", StringComparison.Ordinal));

        // Upgraded: an hour later the metrics go and are taken, holding only the traffic since the
        // heartbeat before (what came while they were refused is not piled into one minute).
        _upgraded = true;
        await TakenAsync(1);
        _clock.Advance(TrafficReporter.RetryRefusedAfter);
        _kong.Traffic.Count("orders", 200, 7, latencyMs: 30);
        await UntilAsync(() => _beats.Any(b => b is { Status: 200, HasMetrics: true }), "metrics taken by the upgraded control plane");
        Assert.Equal(7, _beats.First(b => b is { Status: 200, HasMetrics: true }).Requests);
        // Said once the sidecar has the answer, which can be after the control plane counted the heartbeat.
        await UntilAsync(() => _log.Entries.Any(e => e.Level == LogLevel.Information && e.Message.Contains("takes metrics again", StringComparison.Ordinal)),
            "the sidecar saying the control plane takes metrics again");

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_400_that_does_not_name_the_metrics_field_keeps_them_and_sends_nothing_again()
    {
        _refusal = "Invalid heartbeat. hostname: must not be longer than 255 characters";
        await using var controlPlane = await ControlPlaneAsync();
        var (running, stop) = await StartAsync(controlPlane.BaseAddress);
        await TakenAsync(1);

        _kong.Traffic.Count("orders", 200, 5, latencyMs: 30);
        await UntilAsync(() => _beats.Count(b => b.Status == 400) >= 3, "three heartbeats with traffic tried");
        await stop.CancelAsync();
        await running;

        // Each heartbeat was tried once, with the same pending traffic: nothing was dropped or sent without.
        var tried = _beats.SkipWhile(b => b.Status != 400).ToList();
        Assert.All(tried, b => Assert.True(b is { Status: 400, HasMetrics: true, Requests: 5 }, $"{b}"));
        Assert.Single(tried.Select(b => b.Body.GetProperty("metrics").GetProperty("sequence").GetInt64()).Distinct());
        Assert.DoesNotContain(Warnings, w => w.Contains("older than Gatehouse's analytics", StringComparison.Ordinal));
    }
}
