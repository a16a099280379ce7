using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gatehouse.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// Issue #16's group target, end to end on storage: a control plane group of 256 members holding
/// 20,000 services, 40,000 routes, 10,000 plugins and 30,000 consumers, each member's share
/// imported through the API. Then one member's route is changed at a time, and each change is
/// timed from the write's request to the group's snapshot pointer standing at a composition that
/// holds it (the pointer names the member's revision), which the bench reads when the recomposer
/// says a pointer moved (<see cref="PointerMoves"/>). Arguments: members (256), writes (20).
/// </summary>
internal static class GroupLatency
{
    private const int Services = 20_000;
    private const int Consumers = 30_000;

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
        var writes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        // Every group snapshot (about 29 MB) stays in Azurite's memory until retention sweeps it.
        var moves = new PointerMoves();
        await using var bench = await BenchApp.StartAsync(8192, TimeSpan.FromMinutes(10), observer: moves);
        var http = bench.Http;
        var snapshots = bench.Services.GetRequiredService<ISnapshotStore>();

        var clock = Stopwatch.StartNew();
        var members = new string[count];
        for (var m = 0; m < count; m++)
        {
            members[m] = await ImportRun.CreateControlPlaneAsync(http, $"member-{m}");
        }
        Console.WriteLine($"{count} control planes created in {clock.Elapsed.TotalSeconds:F0} s");

        clock.Restart();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var m = Interlocked.Increment(ref next); m < count; m = Interlocked.Increment(ref next))
            {
                await ImportRun.PutAsync(bench, members[m], MemberFile(m, count));
            }
        }));
        Console.WriteLine($"{Services:N0} services, {Services * 2:N0} routes, {Services / 2:N0} plugins and {Consumers:N0} consumers imported into them, 4 at a time, in {clock.Elapsed.TotalSeconds:F0} s");

        clock.Restart();
        var group = await CreateGroupAsync(http);
        var groupId = Guid.Parse(group);
        foreach (var batch in members.Chunk(50))
        {
            await SendAsync(http, HttpMethod.Post, $"/v2/control-planes/{group}/group-memberships/add",
                JsonSerializer.Serialize(new { members = batch.Select(id => new { id }) }), 204);
        }
        var memberIds = members.Select(Guid.Parse).ToArray();
        var revisions = new Dictionary<Guid, long>();
        foreach (var member in memberIds)
        {
            revisions[member] = (await snapshots.GetPointerAsync(member, CancellationToken.None))!.Revision;
        }
        var pointer = await moves.UntilAsync(snapshots, groupId, p => revisions.All(r => p.Source.Members?.GetValueOrDefault(r.Key, -1) >= r.Value), TimeSpan.FromMinutes(10));
        var snapshot = (await snapshots.ReadSnapshotAsync(groupId, pointer.Hash, CancellationToken.None))!.Value;
        Console.WriteLine($"group of {count} members composed in {clock.Elapsed.TotalSeconds:F0} s: snapshot {snapshot.Length / 1048576.0:F1} MB");

        // What the local sweep timer runs every 30 s (the Functions timer every 5 minutes), twice: the
        // second finds no version recorded since the first, so retention passes over no control plane.
        for (var sweep = 1; sweep <= 2; sweep++)
        {
            clock.Restart();
            var swept = await bench.Services.GetRequiredService<Sweeper>().SweepAndReportAsync(CancellationToken.None);
            Console.WriteLine($"sweep {sweep} of the {count + 1} control planes: {clock.Elapsed.TotalMilliseconds:F0} ms, {swept.Owed.Count} owed");
        }

        var (answered, composed, started) = (new List<double>(), new List<double>(), new List<double>());
        // Where each write's time went: this process's CPU (app and bench), Azurite's, and GC pauses here.
        var spent = new List<WriteCost>();
        var cache = bench.Services.GetRequiredService<CachedEntityReader>();
        var (incrementalBefore, fullBefore) = (cache.IncrementalReads, cache.FullReads);
        var run = Stopwatch.StartNew();
        // In UTC as well, to find a slow write in Azurite's --debug log (GATEHOUSE_BENCH_AZURITE_ARGS).
        var runStartedAt = DateTime.UtcNow;
        using var probing = new CancellationTokenSource();
        var probe = StorageProbe.RunAsync(bench.Storage, run, probing.Token);
        const int warmUp = 3;
        for (var w = 0; w < writes + warmUp; w++)
        {
            var m = w % count;
            var member = memberIds[m];
            var before = (await snapshots.GetPointerAsync(groupId, CancellationToken.None))!.Source.Members![member];
            var cpu = CpuClock.Start(bench.Storage);
            var (pausedBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
            var write = Stopwatch.StartNew();
            await SendAsync(http, HttpMethod.Patch, $"/v2/control-planes/{members[m]}/core-entities/routes/route-{m}-0",
                $$"""{"paths":["/changed/{{w}}"]}""", 200);
            var written = write.Elapsed.TotalMilliseconds;
            // The member's next revision is this write's: no one else writes to it.
            await moves.UntilAsync(snapshots, groupId, p => p.Source.Members?.GetValueOrDefault(member, -1) > before, TimeSpan.FromMinutes(10));
            if (w >= warmUp)
            {
                answered.Add(written);
                composed.Add(write.Elapsed.TotalMilliseconds);
                started.Add(run.Elapsed.TotalSeconds - write.Elapsed.TotalSeconds);
                var (own, storage) = cpu.Elapsed();
                spent.Add(new WriteCost(own, storage, (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds, GC.CollectionCount(2) - gen2Before));
            }
            else
            {
                Console.WriteLine($"warm-up write {w + 1}: answered {written:F0} ms, group snapshot {write.Elapsed.TotalMilliseconds:F0} ms");
            }
        }

        await probing.CancelAsync();
        var probed = await probe;

        Console.WriteLine();
        Console.WriteLine($"{writes} route changes, one at a time, each to another member:");
        Console.WriteLine($"{"",-40} {"p50",8} {"p90",8} {"p99",8} {"max",8}");
        Report("write answered (ms)", answered);
        Report("write -> group snapshot pointer (ms)", composed);
        Console.WriteLine($"target: write -> group snapshot p99 <= 1000 ms");
        // When the slow ones started, to tell a periodic cause (a timer) from a random one.
        var slowest = composed.Select((ms, i) => (Ms: ms, At: started[i], Answered: answered[i], Spent: spent[i])).OrderByDescending(w => w.Ms).Take(5).OrderBy(w => w.At);
        Console.WriteLine($"slowest: {string.Join(", ", slowest.Select(w => $"{w.Ms:F0} ms (answered {w.Answered:F0}; {w.Spent}) at {w.At:F1} s ({runStartedAt.AddSeconds(w.At):HH:mm:ss.f}Z)"))}");
        var median = composed.Select((ms, i) => (Ms: ms, Spent: spent[i])).OrderBy(w => w.Ms).ElementAt(composed.Count / 2);
        Console.WriteLine($"the median write: {median.Ms:F0} ms ({median.Spent})");
        Console.WriteLine($"meanwhile {StorageProbe.Describe(bench.Storage, probed)}");
        Console.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB (app, bench and cached entities; the storage is not in it)");
        Console.WriteLine($"entity reader: {cache.IncrementalReads} reads from the change log, {cache.FullReads} full reads "
            + $"({cache.IncrementalReads - incrementalBefore} and {cache.FullReads - fullBefore} of them during the writes); kept group unions: {bench.Services.GetRequiredService<GroupUnions>().Count}");
    }

    private sealed record WriteCost(double OwnCpu, double? StorageCpu, double GcPausedMs, int Gen2)
    {
        public override string ToString() => $"CPU here {OwnCpu:F2} s, storage {CpuClock.Format(StorageCpu, s => $"{s:F2} s")}, GC paused {GcPausedMs:F0} ms, {Gen2} gen2";
    }

    private static void Report(string name, List<double> figures)
    {
        var sorted = figures.Order().ToList();
        Console.WriteLine($"{name,-40} {Percentile.Of(sorted, 0.5),8:F0} {Percentile.Of(sorted, 0.9),8:F0} {Percentile.Of(sorted, 0.99),8:F0} {sorted[^1],8:F0}");
    }

    /// <summary>Member <paramref name="m"/>'s share of the group, as the compose benchmark splits it: every count-th service and consumer.</summary>
    private static string MemberFile(int m, int count)
    {
        var services = new List<object>();
        for (var i = m; i < Services; i += count)
        {
            var routes = Enumerable.Range(0, 2).Select(r => new
            {
                name = $"route-{i}-{r}",
                paths = new[] { $"/api/{i}/v{r}" },
                methods = new[] { "GET", "POST" },
                hosts = new[] { $"api{i % 7}.example.com" },
            }).ToArray();
            var plugins = i % 2 == 0 ? new object[] { new { name = "rate-limiting", config = new { minute = i % 100 + 1, policy = "local" } } } : [];
            services.Add(new { name = $"svc-{i}", url = $"https://backend-{i % 97}.internal:8443/api/{i}", tags = new[] { $"team-{i % 13}" }, routes, plugins });
        }
        var consumers = new List<object>();
        for (var c = m; c < Consumers; c += count)
        {
            consumers.Add(new { username = $"user-{c}", custom_id = $"cid-{c}", tags = new[] { "bench" } });
        }
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["_format_version"] = "3.0", ["services"] = services, ["consumers"] = consumers });
    }

    private static async Task<string> CreateGroupAsync(HttpClient http)
    {
        using var created = await http.PostAsync("/v2/control-planes",
            JsonBody.Of("""{"name":"big-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""));
        var body = await created.Content.ReadAsStringAsync();
        return created.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!
            : throw new InvalidOperationException($"group: {(int)created.StatusCode} {body}");
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string json, int expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonBody.Of(json) };
        using var response = await http.SendAsync(request);
        if ((int)response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
