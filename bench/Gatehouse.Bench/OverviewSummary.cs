using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.DataPlanes;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// The console's overview on a large installation: <c>controlPlanes</c> control planes (one in 50 a
/// group) made through the API, and <c>nodes</c> data plane nodes written to the node store as
/// heartbeats write them (the API would need a pinned certificate and a TLS client per control
/// plane), spread unevenly (a few control planes hold many nodes, a third none) with a mix of sync
/// and compatibility states. Each control plane with nodes is composed first, as its nodes' pulls
/// would have made it. Then the overview's request, <c>GET /v2/control-planes-summary</c> 20 at a
/// time sorted by name: the first page (spaced 1.1 s apart, past the 1-s pointer and rollout caches,
/// as a person opening the page meets them) and every page in turn, as paging through the console
/// does; p50/p95 time to the whole answer over loopback and its bytes. For comparison, what the
/// same counts cost without the summary: the list's first page and each control plane's node list.
/// </summary>
internal static class OverviewSummary
{
    private const int PageSize = 20;

    public static async Task RunAsync(string[] args)
    {
        var controlPlanes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var nodes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var firstPageSamples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        await using var bench = await BenchApp.StartAsync(2048, TimeSpan.FromMinutes(5));
        var http = bench.Http;

        var setup = Stopwatch.StartNew();
        var ids = new Guid[controlPlanes];
        await Parallel.ForEachAsync(Enumerable.Range(0, controlPlanes), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            ids[i] = await CreateAsync(http, i, group: i % 50 == 49, ct));
        Console.WriteLine($"{controlPlanes:N0} control planes ({controlPlanes / 50} groups) made through the API in {setup.Elapsed.TotalSeconds:F1} s.");

        // Skewed: control plane k gets a share falling with k; the last third gets none.
        var random = new Random(42);
        var withNodes = Math.Max(1, controlPlanes * 2 / 3);
        var owners = Enumerable.Range(0, nodes).Select(_ => ids[(int)(withNodes * Math.Pow(random.NextDouble(), 2))]).ToList();
        setup.Restart();
        var hashes = new Dictionary<Guid, string>();
        foreach (var cp in owners.Distinct())
        {
            hashes[cp] = await ExpectedHashAsync(http, cp);
        }
        Console.WriteLine($"{hashes.Count:N0} control planes with nodes composed in {setup.Elapsed.TotalSeconds:F1} s.");

        setup.Restart();
        var store = bench.Services.GetRequiredService<INodeStore>();
        var now = DateTimeOffset.UtcNow;
        var plugins = new[] { new NodePlugin("cors", "3.9.1"), new NodePlugin("rate-limiting", "3.9.1"), new NodePlugin("key-auth", "3.9.1") };
        await Parallel.ForEachAsync(owners.Select((cp, i) => (cp, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
        {
            var (cp, i) = n;
            // 85 % in sync; 5 % run a Kong too new for the control plane.
            await store.UpsertAsync(new DataPlaneNode
            {
                Id = Guid.NewGuid(),
                ControlPlaneId = cp,
                Hostname = $"dp-{i}",
                Version = i % 20 == 7 ? "3.10.0.0" : "3.9.1.0",
                Plugins = plugins,
                ConfigHash = i % 20 < 17 ? hashes[cp] : "",
                Labels = new Dictionary<string, string> { ["region"] = i % 2 == 0 ? "eu" : "us" },
                CertificateId = Guid.NewGuid(),
                LastPing = now,
                CreatedAt = now,
                UpdatedAt = now,
            }, ct);
        });
        Console.WriteLine($"{nodes:N0} nodes written to the node store in {setup.Elapsed.TotalSeconds:F1} s " +
            $"(most on one control plane: {owners.GroupBy(o => o).Max(g => g.Count())}; control planes without nodes: {controlPlanes - hashes.Count}).");
        Console.WriteLine();

        var first = $"/v2/control-planes-summary?page[size]={PageSize}&page[number]=1&sort=name";
        await GetAsync(http, first);
        var firstTimes = new List<double>();
        var firstBytes = 0L;
        for (var i = 0; i < firstPageSamples; i++)
        {
            await Task.Delay(1100);
            var (ms, bytes, _) = await GetAsync(http, first);
            firstTimes.Add(ms);
            firstBytes = bytes;
        }
        Print($"first page (20 control planes), {firstPageSamples} requests 1.1 s apart", firstTimes, firstBytes);

        var pages = (controlPlanes + PageSize - 1) / PageSize;
        // Where the floor is: the list the summary pages (it reads every control plane row), and a summary page whose control planes have no nodes.
        Print($"  under it, GET /v2/control-planes's first page alone, {firstPageSamples} requests", await SpacedAsync(http,
            $"/v2/control-planes?page[size]={PageSize}&page[number]=1&sort=name", firstPageSamples), null);
        Print($"  and the summary's last page (no nodes on it), {firstPageSamples} requests", await SpacedAsync(http,
            $"/v2/control-planes-summary?page[size]={PageSize}&page[number]={pages}&sort=name", firstPageSamples), null);

        var pageTimes = new List<double>();
        var walks = new List<double>();
        var walkBytes = 0L;
        for (var walk = 0; walk < 3; walk++)
        {
            var watch = Stopwatch.StartNew();
            walkBytes = 0;
            for (var page = 1; page <= pages; page++)
            {
                var (ms, bytes, _) = await GetAsync(http, $"/v2/control-planes-summary?page[size]={PageSize}&page[number]={page}&sort=name");
                pageTimes.Add(ms);
                walkBytes += bytes;
            }
            walks.Add(watch.Elapsed.TotalMilliseconds);
        }
        Print($"every page in turn ({pages} pages), 3 walks", pageTimes, walkBytes / pages);
        Console.WriteLine($"  a walk through all {pages} pages: {string.Join(", ", walks.Select(w => $"{w:F0} ms"))}; {walkBytes / 1024.0:F0} KiB in all");

        // Without the summary: the list's page, then each control plane's nodes (up to 1,000 a request) to count them.
        var without = new List<double>();
        var withoutBytes = 0L;
        for (var i = 0; i < Math.Min(10, firstPageSamples); i++)
        {
            await Task.Delay(1100);
            var watch = Stopwatch.StartNew();
            var (_, listBytes, listBody) = await GetAsync(http, $"/v2/control-planes?page[size]={PageSize}&page[number]=1&sort=name");
            withoutBytes = listBytes;
            using var list = JsonDocument.Parse(listBody);
            foreach (var cp in list.RootElement.GetProperty("data").EnumerateArray())
            {
                withoutBytes += (await GetAsync(http, $"/v2/control-planes/{cp.GetProperty("id").GetString()}/nodes?page[size]=1000")).Bytes;
            }
            without.Add(watch.Elapsed.TotalMilliseconds);
        }
        Print("for comparison, first page without the summary: the list + 20 node lists, one after another", without, withoutBytes);
    }

    private static void Print(string what, List<double> times, long? bytes)
    {
        times.Sort();
        Console.WriteLine($"{what}:");
        Console.WriteLine($"  p50 {Percentile.Of(times, 0.5),7:F1} ms   p95 {Percentile.Of(times, 0.95),7:F1} ms   max {times[^1],7:F1} ms" +
            (bytes is { } b ? $"   {b / 1024.0,6:F1} KiB per answer" : ""));
    }

    private static async Task<List<double>> SpacedAsync(HttpClient http, string path, int samples)
    {
        var times = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            await Task.Delay(1100);
            times.Add((await GetAsync(http, path)).Ms);
        }
        return times;
    }

    private static async Task<(double Ms, long Bytes, byte[] Body)> GetAsync(HttpClient http, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }
        return (elapsed, body.Length, body);
    }

    private static async Task<Guid> CreateAsync(HttpClient http, int index, bool group, CancellationToken ct)
    {
        var name = $"cp-{index:D4}";
        var type = group ? "CLUSTER_TYPE_CONTROL_PLANE_GROUP" : "CLUSTER_TYPE_CONTROL_PLANE";
        using var created = await http.PostAsync("/v2/control-planes",
            JsonBody.Of(JsonSerializer.Serialize(new { name, cluster_type = type, labels = new { team = $"t{index % 7}" } })), ct);
        var body = await created.Content.ReadAsStringAsync(ct);
        return created.IsSuccessStatusCode
            ? Guid.Parse(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!)
            : throw new InvalidOperationException($"control plane {name}: {(int)created.StatusCode} {body}");
    }

    private static async Task<string> ExpectedHashAsync(HttpClient http, Guid cp)
    {
        using var response = await http.GetAsync($"/v2/control-planes/{cp}/expected-config-hash");
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.GetProperty("expected_hash").GetString()!
            : throw new InvalidOperationException($"expected hash of {cp}: {(int)response.StatusCode} {body}");
    }
}
