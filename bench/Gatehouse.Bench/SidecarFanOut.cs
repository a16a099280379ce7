using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Sidecar;
using Gatehouse.Sidecar.ControlPlane;
using Gatehouse.Sidecar.Hub;
using Gatehouse.Sidecar.Kong;
using Gatehouse.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Bench;

/// <summary>
/// Many sidecars (the real sidecar code, in this process, each with its own hub WebSocket, cache
/// and Kong) on one local app: the time from a write's request to the last node's heartbeat
/// reporting the new hash, over writes made one at a time; then how many
/// <c>GET /v1/dp/config</c> 304s per second the app answers.
/// </summary>
internal static class SidecarFanOut
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var writes = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50;
        var work = Directory.CreateTempSubdirectory("gatehouse-bench-sidecars-");
        // Caches on tmpfs when there is one: these sidecars share one disk, where real ones have one each.
        var cacheRoot = Directory.Exists("/dev/shm")
            ? Path.Combine("/dev/shm", "gatehouse-bench-caches-" + Guid.NewGuid().ToString("N"))
            : Path.Combine(work.FullName, "caches");
        var serverPem = Path.Combine(work.FullName, "dp-server.pem");
        await using var app = await BenchApp.StartAsync(azuriteMemoryMegabytes: 512, settings: new Dictionary<string, string?>
        {
            ["Gatehouse:DataPlane:HttpsPort"] = "0",
            ["Gatehouse:DataPlane:ServerCertificateFile"] = serverPem,
        });
        var controlPlane = (await (await app.Http.PostAsJsonAsync("/v2/control-planes", new { name = "fan-out" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Post(app.Http, $"/v2/control-planes/{controlPlane}/core-entities/services", new { name = "s0", host = "s0.internal" });
        var pair = TestCertificates.Server("CN=bench-dp", elliptic: true);
        await Post(app.Http, $"/v2/control-planes/{controlPlane}/dp-client-certificates", new { cert = pair.Certificate });

        var reports = new HeartbeatWatch { InnerHandler = DataPlaneHandler.Create(TestCertificates.WithKey(pair), DataPlaneHandler.LoadTrust(serverPem)) };
        var tls = (SocketsHttpHandler)reports.InnerHandler;
        var controlPlaneClient = new ControlPlaneClient(new HttpClient(reports, disposeHandler: false) { BaseAddress = app.DataPlaneAddress, Timeout = TimeSpan.FromSeconds(100) });
        using var stop = new CancellationTokenSource();
        var hubs = new List<HubListener>();
        var running = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var options = new SidecarOptions
            {
                ControlPlaneUrl = app.DataPlaneAddress!,
                CertificateFile = "(in memory)",
                NodeId = Guid.NewGuid(),
                // Only pushes move the nodes here: polls and beats are far apart.
                PollInterval = TimeSpan.FromMinutes(30),
                HeartbeatInterval = TimeSpan.FromMinutes(30),
            };
            var hub = new HubListener(new HubListenerOptions(), tls, NullLogger<HubListener>.Instance);
            hubs.Add(hub);
            var sidecar = new SidecarLoop(options, controlPlaneClient,
                new KongAdminClient(new HttpClient(new InstantKong($"bench-{i}")) { BaseAddress = new Uri("http://kong.invalid/") }),
                new ConfigCache(Path.Combine(cacheRoot, i.ToString(System.Globalization.CultureInfo.InvariantCulture))), hub, NullLogger<SidecarLoop>.Instance);
            running.Add(Task.Run(() => sidecar.RunAsync(stop.Token)));
        }

        var started = Stopwatch.StartNew();
        var first = await reports.WaitForAllAsync(count, previous: "", TimeSpan.FromMinutes(2));
        while (hubs.Any(h => !h.IsConnected))
        {
            await Task.Delay(20);
        }
        Console.WriteLine($"{count} sidecars connected and on {first.Hash} in {started.Elapsed.TotalSeconds:F1} s");

        var samples = new List<Write>();
        var warmUps = new List<double>();
        var previous = first.Hash;
        // The first writes run code the start-up did not (and the JIT recompiles what it did, hot):
        // measured apart, as a long-running control plane has none of that left.
        const int WarmUps = 3;
        for (var w = 1 - WarmUps; w <= writes; w++)
        {
            var t0 = Stopwatch.GetTimestamp();
            double Since(long at) => Stopwatch.GetElapsedTime(t0, at).TotalMilliseconds;
            reports.Fetches.Clear();
            await Post(app.Http, $"/v2/control-planes/{controlPlane}/core-entities/services", new { name = $"s{w + WarmUps}", host = $"s{w + WarmUps}.internal" });
            var posted = Stopwatch.GetTimestamp();
            var all = await reports.WaitForAllAsync(count, previous, TimeSpan.FromSeconds(60));
            previous = all.Hash;
            if (w <= 0)
            {
                warmUps.Add(Since(all.LastReport));
                continue;
            }
            var fetches = reports.Fetches.ToArray();
            samples.Add(new Write(Since(posted), Since(fetches.Max(f => f.Start)), Since(fetches.Max(f => f.End)),
                Since(InstantKong.LastLoad.Values.Max()), Since(all.LastReport)));
        }
        List<double> Sorted(Func<Write, double> of) => [.. samples.Select(of).Order()];
        string P50P99(Func<Write, double> of) => $"p50 {Percentile.Of(Sorted(of), 0.5):F0} ms, p99 {Percentile.Of(Sorted(of), 0.99):F0} ms";
        var reported = Sorted(s => s.Reported);
        Console.WriteLine($"{WarmUps} warm-up writes, not counted: {string.Join(", ", warmUps.Select(l => $"{l:F0} ms"))}");
        Console.WriteLine($"write -> last of {count} nodes reporting the new hash, {writes} writes one at a time: "
            + $"p50 {Percentile.Of(reported, 0.5):F0} ms, p90 {Percentile.Of(reported, 0.9):F0} ms, p99 {Percentile.Of(reported, 0.99):F0} ms, max {reported[^1]:F0} ms (target p99 <= 1000 ms)");
        Console.WriteLine($"write -> last of {count} nodes' Kong loading it: {P50P99(s => s.Loaded)}");
        // Where the time goes: the write's answer, the push reaching every node (its pull starting), every pull answered.
        Console.WriteLine($"  of which: write answered {P50P99(s => s.Posted)}; last node asking for the config {P50P99(s => s.LastAsked)}; "
            + $"last config served {P50P99(s => s.LastServed)} (after the write)");

        await NotModifiedThroughputAsync(new HttpClient(tls, disposeHandler: false) { BaseAddress = app.DataPlaneAddress }, previous, TimeSpan.FromSeconds(10));

        await stop.CancelAsync();
        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        Directory.Delete(cacheRoot, recursive: true);
        work.Delete(recursive: true);
    }

    private static async Task NotModifiedThroughputAsync(HttpClient http, string hash, TimeSpan duration)
    {
        const int Workers = 32;
        var nodeId = Guid.NewGuid();
        long answered = 0, other = 0;
        var until = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (until.Elapsed < duration)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/dp/config?node_id={nodeId}");
                request.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{hash}\""));
                using var response = await http.SendAsync(request);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.NotModified ? ref answered : ref other);
            }
        })));
        Console.WriteLine($"GET /v1/dp/config with If-None-Match, {Workers} concurrent clients over mTLS for {duration.TotalSeconds:F0} s: "
            + $"{answered / until.Elapsed.TotalSeconds:F0} 304s per second ({other} other answers)");
    }

    /// <summary>One measured write: when, after its request, each stage was reached (ms).</summary>
    private sealed record Write(double Posted, double LastAsked, double LastServed, double Loaded, double Reported);

    private static async Task Post(HttpClient http, string path, object body) =>
        (await http.PostAsJsonAsync(path, body)).EnsureSuccessStatusCode();

    /// <summary>Sees every heartbeat the control plane took (which node reported which hash, when) and when each config pull that got a config started and ended.</summary>
    private sealed class HeartbeatWatch : DelegatingHandler
    {
        private readonly ConcurrentDictionary<string, (string Hash, long At)> _latest = new();

        public ConcurrentBag<(long Start, long End)> Fetches { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Get && response.StatusCode == HttpStatusCode.OK && request.RequestUri!.AbsolutePath.EndsWith("/config", StringComparison.Ordinal))
            {
                Fetches.Add((start, Stopwatch.GetTimestamp()));
            }
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/heartbeat", StringComparison.Ordinal)
                && response.IsSuccessStatusCode && request.Content is not null)
            {
                var at = Stopwatch.GetTimestamp();
                var beat = JsonNode.Parse(await request.Content.ReadAsByteArrayAsync(cancellationToken))!;
                _latest[beat["node_id"]!.GetValue<string>()] = (beat["config_hash"]!.GetValue<string>(), at);
            }
            return response;
        }

        /// <summary>Waits until <paramref name="count"/> nodes reported one hash other than <paramref name="previous"/>.</summary>
        public async Task<(string Hash, long LastReport)> WaitForAllAsync(int count, string previous, TimeSpan within)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var reported = _latest.Values.Where(v => v.Hash != previous && v.Hash.Length > 0).ToList();
                if (reported.Count == count && reported.Select(r => r.Hash).Distinct().Count() == 1)
                {
                    return (reported[0].Hash, reported.Max(r => r.At));
                }
                if (deadline.Elapsed > within)
                {
                    throw new TimeoutException($"{reported.Count} of {count} nodes reported a new hash within {within.TotalSeconds} s.");
                }
                await Task.Delay(1);
            }
        }
    }

    /// <summary>
    /// A Kong node's Admin API in memory, as far as the sidecar uses it: it loads whatever it is
    /// given at once (Kong's own load time is not what is measured here).
    /// </summary>
    private sealed class InstantKong(string hostname) : HttpMessageHandler
    {
        /// <summary>When the last load of each hash happened, over all nodes.</summary>
        public static readonly ConcurrentDictionary<string, long> LastLoad = new();

        private readonly Guid _nodeId = Guid.NewGuid();
        private string _hash = "00000000000000000000000000000000";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            switch (request.Method.Method, request.RequestUri!.AbsolutePath)
            {
                case ("GET", "/"):
                    return Json(new JsonObject
                    {
                        ["version"] = "3.9.1",
                        ["node_id"] = _nodeId.ToString(),
                        ["hostname"] = hostname,
                        ["plugins"] = new JsonObject { ["available_on_server"] = new JsonObject { ["cors"] = new JsonObject { ["version"] = "3.9.1", ["priority"] = 2000 } } },
                    });
                case ("GET", "/status"):
                    return Json(new JsonObject { ["configuration_hash"] = _hash });
                case ("POST", "/config"):
                    var body = JsonNode.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken))!;
                    var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body["config"]!.GetValue<string>())));
                    if (hash == _hash)
                    {
                        return new HttpResponseMessage(HttpStatusCode.NotModified);
                    }
                    _hash = hash;
                    var at = Stopwatch.GetTimestamp();
                    LastLoad.AddOrUpdate(hash, at, (_, previous) => Math.Max(previous, at));
                    return Json(new JsonObject(), HttpStatusCode.Created);
                default:
                    return new HttpResponseMessage(HttpStatusCode.NotFound);
            }
        }

        private static HttpResponseMessage Json(JsonObject body, HttpStatusCode status = HttpStatusCode.OK) =>
            new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }
}
