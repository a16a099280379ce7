using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gatehouse.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// Time from a write's 201 to the control plane's snapshot pointer standing at that write's
/// revision, through the whole local pipeline (queue, poller, consistent read, compose, blob,
/// pointer), against Azurite, one write at a time. Arguments: the writes (200); the services the
/// control plane holds before them, imported first (0); and <c>nocache</c> to read every
/// control plane whole, as before the change log (issue #16), for an A/B in one build.
/// </summary>
internal static class RecomposeLatency
{
    public static async Task RunAsync(string[] args)
    {
        var writes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var preloaded = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        var cached = !args.Contains("nocache", StringComparer.OrdinalIgnoreCase);
        await using var bench = await BenchApp.StartAsync(1024, TimeSpan.FromMinutes(10),
            cached ? null : new Dictionary<string, string?> { ["Gatehouse:Recompose:CacheEntities"] = "0" });
        var http = bench.Http;
        var snapshots = bench.Services.GetRequiredService<ISnapshotStore>();

        using var created = await http.PostAsync("/v2/control-planes", Json("""{"name":"latency"}"""));
        var cp = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var id = Guid.Parse(cp);
        var first = 0L;
        if (preloaded > 0)
        {
            var services = string.Join(",", Enumerable.Range(0, preloaded).Select(i => $$"""{"name":"pre{{i}}","host":"h{{i}}.internal","routes":[{"name":"pre{{i}}","paths":["/p{{i}}"]}]}"""));
            using var imported = await http.PutAsync($"/v2/control-planes/{cp}/declarative-config", Json($$"""{"_format_version":"3.0","services":[{{services}}]}"""));
            var body = await imported.Content.ReadAsStringAsync();
            if (!imported.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"preload answered {(int)imported.StatusCode}: {body[..Math.Min(300, body.Length)]}");
            }
            first = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("revision").GetInt64();
        }

        var latencies = new List<double>();
        CpuClock? cpu = null;
        for (var i = 0; i < writes + 10; i++)
        {
            if (i == 10)
            {
                cpu = CpuClock.Start(bench.Azurite);
            }
            var clock = Stopwatch.StartNew();
            using var write = await http.PostAsync($"/v2/control-planes/{cp}/core-entities/services", Json($$"""{"name":"s{{i}}","host":"h.internal"}"""));
            if ((int)write.StatusCode != 201)
            {
                throw new InvalidOperationException($"write answered {(int)write.StatusCode}");
            }
            var written = clock.Elapsed;
            // Revision first+i+1 is this write's: each create bumps it by one.
            // One pointer read per probe: the probe shares the CPU with the pipeline it measures.
            while ((await snapshots.GetPointerAsync(id, CancellationToken.None))?.Revision is not { } revision || revision < first + i + 1)
            {
                await Task.Delay(2);
            }
            if (i >= 10)
            {
                latencies.Add((clock.Elapsed - written).TotalMilliseconds);
            }
        }
        var (own, azurite) = cpu!.Elapsed();
        latencies.Sort();
        double P(double p) => Percentile.Of(latencies, p);
        Console.WriteLine($"Write -> snapshot pointer latency against Azurite, {latencies.Count} writes (after 10 warm-up), one at a time, " +
            $"on a control plane of {preloaded:N0} services and as many routes, {(cached ? "entities cached and read from the change log" : "every control plane read whole (nocache)")}:");
        Console.WriteLine($"p50 {P(0.50):F1} ms   p90 {P(0.90):F1} ms   p99 {P(0.99):F1} ms   max {latencies[^1]:F1} ms   (target p99 <= 500 ms)");
        // Whose work a write's time was: this process (the app, the write, the probe) against Azurite, per write on average.
        Console.WriteLine($"CPU per write, the write and its way to the snapshot: {own * 1000 / latencies.Count:F1} ms here, {azurite * 1000 / latencies.Count:F1} ms in Azurite");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
