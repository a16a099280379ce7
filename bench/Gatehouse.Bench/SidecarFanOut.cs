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
/// <c>GET /v1/dp/config</c> 304s per second the app answers. With a third argument, writes are
/// made at that many per second instead (<c>sidecars 200 1200 20</c>: 20 writes/s for a minute), and
/// each write is timed to the last node whose Kong loaded a config holding it.
/// </summary>
internal static class SidecarFanOut
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var writes = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50;
        var rate = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
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

        if (rate > 0)
        {
            await SustainedAsync(app, controlPlane, count, writes, rate, reports);
            await stop.CancelAsync();
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            Directory.Delete(cacheRoot, recursive: true);
            work.Delete(recursive: true);
            return;
        }

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

    /// <summary>
    /// Writes service <c>w{n}</c> at <paramref name="rate"/> per second, each started when it is due
    /// whether or not the ones before were answered (independent clients: at most
    /// <see cref="WritersAtOnce"/> in flight, so a stalled API shows as a lower rate achieved), and
    /// times each from its request to the last node whose Kong loaded a config holding it (a node may
    /// skip configs: one holding a later write holds this one too, unless that one committed first).
    /// Then waits for every node to load every write and report one hash.
    /// </summary>
    private static async Task SustainedAsync(BenchApp app, string controlPlane, int count, int writes, double rate, HeartbeatWatch reports)
    {
        InstantKong.Track(writes);
        var posted = new long[writes + 1];
        var answered = new double[writes];
        var inFlight = new SemaphoreSlim(WritersAtOnce);
        var sending = new List<Task>(writes);
        var http = app.Http;
        var cpu = CpuClock.Start(app.Storage);
        var (pausedBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();
        using var probing = new CancellationTokenSource();
        var probe = StorageProbe.RunAsync(app.Storage, clock, probing.Token);
        for (var n = 1; n <= writes; n++)
        {
            var due = TimeSpan.FromSeconds((n - 1) / rate);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            await inFlight.WaitAsync();
            var write = n;
            posted[write] = Stopwatch.GetTimestamp();
            sending.Add(Task.Run(async () =>
            {
                try
                {
                    await Post(http, $"/v2/control-planes/{controlPlane}/core-entities/services", new { name = $"w{write}", host = $"w{write}.internal" });
                    answered[write - 1] = Stopwatch.GetElapsedTime(posted[write]).TotalMilliseconds;
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }
        var sent = clock.Elapsed;
        await Task.WhenAll(sending);
        await probing.CancelAsync();
        var probed = await probe;
        var (paused, gen2) = (GC.GetTotalPauseDuration() - pausedBefore, GC.CollectionCount(2) - gen2Before);
        var settled = Stopwatch.StartNew();
        while (InstantKong.Nodes.Count < count || InstantKong.Nodes.Values.Any(node => node.Held < writes))
        {
            if (settled.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{InstantKong.Nodes.Values.Count(node => node.Held == writes)} of {count} nodes loaded every write within 60 s of the last.");
            }
            await Task.Delay(5);
        }
        var last = await reports.WaitForAllAsync(count, previous: "", TimeSpan.FromSeconds(60));
        var (own, storage) = cpu.Elapsed();

        // Each write: the latest, over the nodes, of each node's first load holding it.
        var latencies = new List<double>(writes);
        for (var n = 1; n <= writes; n++)
        {
            var latest = InstantKong.Nodes.Values.Max(node => node.FirstHeldAt[n]);
            latencies.Add(Stopwatch.GetElapsedTime(posted[n], latest).TotalMilliseconds);
        }
        var stalls = Stalls(latencies, n => Stopwatch.GetElapsedTime(posted[1], posted[n]).TotalSeconds, over: 500);
        latencies.Sort();
        Array.Sort(answered);
        var loadsPerNode = InstantKong.Nodes.Values.Select(node => node.Loads).ToList();
        var wall = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{writes} writes at {rate:F0}/s to one control plane: sent in {sent.TotalSeconds:F1} s ({writes / sent.TotalSeconds:F1}/s achieved, at most {WritersAtOnce} in flight), "
            + $"write answered p50 {Percentile.Of(answered, 0.5):F0} ms, p99 {Percentile.Of(answered, 0.99):F0} ms");
        Console.WriteLine($"write -> last of {count} nodes' Kong loading a config holding it: p50 {Percentile.Of(latencies, 0.5):F0} ms, "
            + $"p90 {Percentile.Of(latencies, 0.9):F0} ms, p99 {Percentile.Of(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms (target p99 <= 1000 ms)");
        Console.WriteLine(stalls.Count == 0 ? "no write took over 500 ms"
            : $"writes over 500 ms, by when they started (a periodic cause shows as evenly spaced stalls): {string.Join("; ", stalls.Select(s => $"{s.Writes} at {s.From:F1}-{s.To:F1} s, worst {s.Worst:F0} ms"))}");
        Console.WriteLine($"while writing: this process's GC paused it {paused.TotalMilliseconds:F0} ms in all ({gen2} gen2 collections); {StorageProbe.Describe(app.Storage, probed)}");
        Console.WriteLine($"every node ended on the last write, all reporting hash {last.Hash}; configs loaded per node: "
            + $"min {loadsPerNode.Min()}, p50 {Percentile.OfUnsorted(loadsPerNode.Select(l => (double)l), 0.5):F0}, max {loadsPerNode.Max()} (of {writes} writes)");
        Console.WriteLine($"CPU over the {wall:F1} s from the first write to the last node's report: this process (app, {count} sidecars, their stand-in Kongs, the bench) "
            + $"{own:F1} s ({own / wall:F2} cores), storage {CpuClock.Format(storage, s => $"{s:F1} s ({s / wall:F2} cores)")}, of {Environment.ProcessorCount} cores");
        if (storage is { } local)
        {
            // When the rate asked for needs more CPU than the machine has, the writes queue for it and the latencies above are the machine's.
            var needed = (own + local) / writes * rate;
            Console.WriteLine($"at {rate:F0} writes/s this work would keep {needed:F2} cores busy here"
                + (needed > Environment.ProcessorCount ? $", more than the {Environment.ProcessorCount} there are, so the writes queue for the CPU" : ""));
        }
        Console.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB (app, {count} sidecars and the bench in one process)");
    }

    /// <summary>The writes slower than <paramref name="over"/> ms (in write order), gathered into stalls: slow writes started within a second of each other.</summary>
    private static List<(double From, double To, int Writes, double Worst)> Stalls(List<double> latencies, Func<int, double> startedAt, double over)
    {
        var stalls = new List<(double From, double To, int Writes, double Worst)>();
        for (var i = 0; i < latencies.Count; i++)
        {
            if (latencies[i] <= over)
            {
                continue;
            }
            var at = startedAt(i + 1);
            if (stalls.Count > 0 && at - stalls[^1].To <= 1)
            {
                var (from, _, writes, worst) = stalls[^1];
                stalls[^1] = (from, at, writes + 1, Math.Max(worst, latencies[i]));
            }
            else
            {
                stalls.Add((at, at, 1, latencies[i]));
            }
        }
        return stalls;
    }

    /// <summary>Writers in flight at once in the sustained run: enough for 20/s at 1 s answers.</summary>
    private const int WritersAtOnce = 32;

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

        /// <summary>In the sustained run: per node, when its Kong first loaded a config holding each write <c>w{n}</c>.</summary>
        public static readonly ConcurrentDictionary<string, NodeLoads> Nodes = new();

        private static int s_writes;

        public static void Track(int writes) => s_writes = writes;

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
                    var config = ConfigOf(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
                    var hash = Convert.ToHexStringLower(MD5.HashData(config));
                    if (hash == _hash)
                    {
                        return new HttpResponseMessage(HttpStatusCode.NotModified);
                    }
                    _hash = hash;
                    var at = Stopwatch.GetTimestamp();
                    LastLoad.AddOrUpdate(hash, at, (_, previous) => Math.Max(previous, at));
                    if (s_writes > 0)
                    {
                        Nodes.GetOrAdd(hostname, _ => new NodeLoads(s_writes)).Loaded(config, at);
                    }
                    return Json(new JsonObject(), HttpStatusCode.Created);
                default:
                    return new HttpResponseMessage(HttpStatusCode.NotFound);
            }
        }

        /// <summary>The <c>config</c> string of Kong's <c>POST /config</c> body, as the UTF-8 bytes Kong hashes.</summary>
        private static byte[] ConfigOf(byte[] body)
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("config"u8) && reader.Read())
                {
                    var config = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
                    return config[..reader.CopyString(config)];
                }
            }
            throw new InvalidOperationException("POST /config without a config string");
        }

        private static HttpResponseMessage Json(JsonObject body, HttpStatusCode status = HttpStatusCode.OK) =>
            new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    /// <summary>One stand-in Kong's loads in the sustained run: how many, and when it first held each write.</summary>
    private sealed class NodeLoads(int writes)
    {
        private static readonly byte[] s_name = "\"name\":\"w"u8.ToArray();

        public long[] FirstHeldAt { get; } = new long[writes + 1];

        public int Loads { get; private set; }

        /// <summary>Writes this node's Kong has held, of all the run makes.</summary>
        public int Held { get; private set; }

        /// <summary>One pass over the config for every service <c>w{n}</c> it names.</summary>
        public void Loaded(ReadOnlySpan<byte> config, long at)
        {
            Loads++;
            for (var found = config.IndexOf(s_name); found >= 0; found = config.IndexOf(s_name))
            {
                config = config[(found + s_name.Length)..];
                var n = 0;
                var digits = 0;
                for (; digits < config.Length && char.IsAsciiDigit((char)config[digits]); digits++)
                {
                    n = (n * 10) + (config[digits] - '0');
                }
                if (digits > 0 && n <= writes && FirstHeldAt[n] == 0)
                {
                    FirstHeldAt[n] = at;
                    Held++;
                }
            }
        }
    }
}
