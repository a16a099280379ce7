using System.Diagnostics;
using System.Globalization;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// Time from a write's 201 to the control plane's snapshot pointer standing at that write's
/// revision, through the whole local pipeline (queue, poller, consistent read, compose, blob,
/// pointer), against Azurite (or the account in GATEHOUSE_BENCH_STORAGE), one write at a time. Arguments: the writes (200); the services the
/// control plane holds before them, imported first (0); <c>nocache</c> to read every
/// control plane whole, as before the change log (issue #16), for an A/B in one build; and
/// <c>compare</c> to write in turn to a control plane of 10 entities in the same app, for issue
/// #16's ratio (100,000 entities against 10) within one run.
/// </summary>
internal static class RecomposeLatency
{
    public static async Task RunAsync(string[] args)
    {
        var writes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var preloaded = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        var cached = !args.Contains("nocache", StringComparer.OrdinalIgnoreCase);
        var compare = args.Contains("compare", StringComparer.OrdinalIgnoreCase);
        await using var bench = await BenchApp.StartAsync(1024, TimeSpan.FromMinutes(10),
            cached ? null : new Dictionary<string, string?> { ["Gatehouse:Recompose:CacheEntities"] = "0" });
        var snapshots = bench.Services.GetRequiredService<ISnapshotStore>();

        var importing = Stopwatch.StartNew();
        var large = await CreateAsync(bench.Http, "latency", preloaded);
        var imported = importing.Elapsed;
        // Issue #16's yardstick: 10 entities, in the same app and Azurite, written in turn with the large one.
        var small = compare ? await CreateAsync(bench.Http, "small", 5) : null;

        CpuClock? cpu = null;
        for (var i = 0; i < writes + 10; i++)
        {
            if (i == 10)
            {
                cpu = CpuClock.Start(bench.Storage);
            }
            // Each in turn goes first, so that neither always meets the other's leftovers.
            foreach (var target in i % 2 == 0 ? [large, small] : new[] { small, large })
            {
                if (target is not null)
                {
                    await target.WriteAsync(bench.Http, snapshots, measured: i >= 10);
                }
            }
        }
        var (own, storage) = cpu!.Elapsed();
        Console.WriteLine($"Write -> snapshot pointer latency against {bench.Storage.Name}, {writes} writes (after 10 warm-up), one at a time, " +
            $"on a control plane of {preloaded:N0} services and as many routes (imported in {imported.TotalSeconds:F0} s), " +
            $"{(cached ? "entities cached and read from the change log" : "every control plane read whole (nocache)")}:");
        Console.WriteLine($"answer -> pointer: {Target.Figures(large.AfterAnswer)}   (target p99 <= 500 ms)");
        Console.WriteLine($"request -> pointer: {Target.Figures(large.Total)}");
        if (small is not null)
        {
            Console.WriteLine($"the same writes, in turn, to a control plane of 10 entities: answer -> pointer {Target.Figures(small.AfterAnswer)}; request -> pointer {Target.Figures(small.Total)}");
            Console.WriteLine($"request -> pointer p50, {preloaded * 2:N0} entities / 10: {Target.P50(large.Total) / Target.P50(small.Total):F2}x " +
                $"(issue #16: <= 2x at 100,000); answer -> pointer: {Target.P50(large.AfterAnswer) / Target.P50(small.AfterAnswer):F2}x; " +
                $"the write's answer alone p50 {Target.P50(large.Answer):F1} against {Target.P50(small.Answer):F1} ms");
            await PrintFloorAsync(bench, large, small);
        }
        // Whose work a write's time was: this process (the app, the write, the probe) against the storage, per write on average.
        var measured = writes * (small is null ? 1 : 2);
        Console.WriteLine($"CPU per write, the write and its way to the snapshot: {own * 1000 / measured:F1} ms here, in the storage {CpuClock.Format(storage, s => $"{s * 1000 / measured:F1} ms")}");
    }

    /// <summary>
    /// The storage's own share of the ratio: its time for a commit-shaped transaction in each
    /// partition, once the writes are done, against the small control plane's whole write -> pointer.
    /// </summary>
    private static async Task PrintFloorAsync(BenchApp bench, Target large, Target small)
    {
        var table = bench.Services.GetRequiredService<StorageAccount>().Tables
            .GetTableClient(bench.Services.GetRequiredService<StorageLayout>().EntitiesTable);
        var inLarge = await StorageFloor.MeasureAsync(table, large.Id, 50);
        var inSmall = await StorageFloor.MeasureAsync(table, small.Id, 50);
        Console.WriteLine($"the storage alone in each partition, p50: a point read {inLarge.Read:F1} against {inSmall.Read:F1} ms ({inLarge.Read / inSmall.Read:F2}x), " +
            $"a five-row transaction {inLarge.Transaction:F1} against {inSmall.Transaction:F1} ms ({inLarge.Transaction / inSmall.Transaction:F2}x)");
        var floor = inLarge.Transaction / Target.P50(small.Total);
        Console.WriteLine($"a write's one transaction in the large partition alone is {floor:F2}x the small control plane's whole request -> pointer p50" +
            (floor > 2 ? ": on this storage no write path with that transaction can reach 2x" : ""));
    }

    private static async Task<Target> CreateAsync(HttpClient http, string name, int services)
    {
        using var created = await http.PostAsync("/v2/control-planes", JsonBody.Of($$"""{"name":"{{name}}"}"""));
        var cp = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var revision = 0L;
        if (services > 0)
        {
            var preload = string.Join(",", Enumerable.Range(0, services).Select(i => $$"""{"name":"pre{{i}}","host":"h{{i}}.internal","routes":[{"name":"pre{{i}}","paths":["/p{{i}}"]}]}"""));
            using var imported = await http.PutAsync($"/v2/control-planes/{cp}/declarative-config", JsonBody.Of($$"""{"_format_version":"3.0","services":[{{preload}}]}"""));
            var body = await imported.Content.ReadAsStringAsync();
            if (!imported.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"preload answered {(int)imported.StatusCode}: {body[..Math.Min(300, body.Length)]}");
            }
            revision = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("revision").GetInt64();
        }
        return new Target(cp, revision);
    }

    /// <summary>A control plane written to one service create at a time, and the times each took.</summary>
    private sealed class Target(string cp, long revision)
    {
        private readonly Guid _id = Guid.Parse(cp);
        private int _written;

        /// <summary>The control plane's id, which is also its partition in the entities table.</summary>
        public string Id => cp;

        public List<double> Total { get; } = [];

        public List<double> Answer { get; } = [];

        public List<double> AfterAnswer { get; } = [];

        public async Task WriteAsync(HttpClient http, ISnapshotStore snapshots, bool measured)
        {
            var clock = Stopwatch.StartNew();
            using var write = await http.PostAsync($"/v2/control-planes/{cp}/core-entities/services", JsonBody.Of($$"""{"name":"s{{_written}}","host":"h.internal"}"""));
            if ((int)write.StatusCode != 201)
            {
                throw new InvalidOperationException($"write answered {(int)write.StatusCode}");
            }
            var answered = clock.Elapsed;
            // Each create bumps the revision by one. One pointer read per probe: the probe shares the CPU with the pipeline it measures.
            var expected = revision + ++_written;
            while ((await snapshots.GetPointerAsync(_id, CancellationToken.None))?.Revision is not { } at || at < expected)
            {
                await Task.Delay(2);
            }
            if (measured)
            {
                Total.Add(clock.Elapsed.TotalMilliseconds);
                Answer.Add(answered.TotalMilliseconds);
                AfterAnswer.Add((clock.Elapsed - answered).TotalMilliseconds);
            }
        }

        public static double P50(List<double> times) => Percentile.OfUnsorted(times, 0.5);

        public static string Figures(List<double> times)
        {
            var sorted = times.Order().ToList();
            return $"p50 {Percentile.Of(sorted, 0.5):F1} ms   p90 {Percentile.Of(sorted, 0.9):F1} ms   p99 {Percentile.Of(sorted, 0.99):F1} ms   max {sorted[^1]:F1} ms";
        }
    }

}
