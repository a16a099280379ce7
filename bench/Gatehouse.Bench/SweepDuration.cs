using System.Diagnostics;
using System.Globalization;
using Gatehouse.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// How long one sweep takes over many control planes, each with an entity and its snapshot, none
/// owed anything: the sweeper's fixed cost per control plane, which bounds how soon a lost
/// recompose request is found again. Argument: the control planes (1,000).
/// </summary>
internal static class SweepDuration
{
    public static async Task RunAsync(string[] args)
    {
        var controlPlanes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        // The timer's sweeps would run alongside the timed ones.
        await using var bench = await BenchApp.StartAsync(1024, TimeSpan.FromMinutes(5),
            new Dictionary<string, string?> { ["Gatehouse:Recompose:SweepSeconds"] = "86400" });
        var http = bench.Http;

        var setup = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, controlPlanes), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = await ImportRun.CreateControlPlaneAsync(http, $"sweep-{i}");
            using var written = await http.PostAsync($"/v2/control-planes/{id}/core-entities/services", JsonBody.Of("""{"name":"s","host":"h.internal"}"""), ct);
            written.EnsureSuccessStatusCode();
        });
        Console.WriteLine($"{controlPlanes:N0} control planes, each with a service, made through the API in {setup.Elapsed.TotalSeconds:F1} s.");

        var sweeper = bench.Services.GetRequiredService<Sweeper>();
        // Until nothing is owed: every control plane composed.
        setup.Restart();
        while ((await sweeper.SweepAsync(CancellationToken.None)).Count > 0)
        {
            await Task.Delay(1000);
        }
        Console.WriteLine($"all composed, as the sweep sees them, {setup.Elapsed.TotalSeconds:F1} s later.");

        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var owed = await sweeper.SweepAsync(CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (owed.Count > 0)
            {
                throw new InvalidOperationException($"{owed.Count} control planes owed work in a quiet sweep");
            }
        }
        Console.WriteLine($"a sweep over {controlPlanes:N0} control planes with nothing owed, against {bench.Storage.Name}: " +
            $"{string.Join(", ", times.Select(t => $"{t:F0}"))} ms (p50 {Percentile.OfUnsorted(times, 0.5):F0} ms, " +
            $"{Percentile.OfUnsorted(times, 0.5) * 1000 / controlPlanes:F0} µs per control plane)");
    }

}
