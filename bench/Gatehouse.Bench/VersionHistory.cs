using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// Config versions (issue #14) of a large control plane through the API against Azurite: a
/// declarative import of <c>entities</c> entities, then <c>changes</c> one-service changes, each
/// a version, with a retention sweep every ten. Prints the time to list the versions and to diff the
/// first against the last (median), and the snapshot storage after each sweep: with retention on it
/// levels off at about <c>keep</c> snapshots, however many changes follow.
/// </summary>
internal static class VersionHistory
{
    public static async Task RunAsync(string[] args)
    {
        var entities = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var changes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var keep = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var services = Math.Max(1, entities / 3);
        await using var bench = await BenchApp.StartAsync(2048, TimeSpan.FromMinutes(10), new Dictionary<string, string?>
        {
            ["Gatehouse:Versions:Keep"] = keep.ToString(CultureInfo.InvariantCulture),
            ["Gatehouse:Versions:GraceMinutes"] = "0",
            // The bench sweeps itself, between changes.
            ["Gatehouse:Recompose:SweepSeconds"] = "3600",
        });
        var cp = await ImportRun.CreateControlPlaneAsync(bench.Http, "versions");
        var id = Guid.Parse(cp);
        var snapshots = bench.Services.GetRequiredService<ISnapshotStore>();
        var sweeper = bench.Services.GetRequiredService<Sweeper>();
        var container = bench.Services.GetRequiredService<StorageAccount>().Blobs
            .GetBlobContainerClient(bench.Services.GetRequiredService<StorageLayout>().SnapshotsContainer);

        Console.WriteLine($"Config versions through the API against Azurite: {services * 3:N0} entities ({services:N0} services with a route and a plugin), " +
            $"{changes} changes, Gatehouse__Versions__Keep={keep}.");
        var import = await ImportRun.PutAsync(bench, cp, File(services));
        while ((await snapshots.GetPointerAsync(id, CancellationToken.None))?.Revision is not { } composed || composed < import.Revision)
        {
            await Task.Delay(5);
        }
        var (firstBytes, firstBlobs) = await StoredAsync(container, id);
        Console.WriteLine($"import: {import.Count("creating"):N0} created, snapshot current after {import.SnapshotCurrent.TotalMilliseconds:F0} ms; " +
            $"{firstBlobs} blob(s), {firstBytes / 1024.0:F0} KiB");

        for (var i = 1; i <= changes; i++)
        {
            using var patched = await bench.Http.PatchAsync($"/v2/control-planes/{cp}/core-entities/services/svc-{i % services}",
                JsonBody.Of($$"""{"retries":{{i % 30 + 1}}}"""));
            if (!patched.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"patch {i}: {(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
            }
            // Each change is one revision: wait for its version.
            while ((await snapshots.GetPointerAsync(id, CancellationToken.None))!.Revision < import.Revision + i)
            {
                await Task.Delay(5);
            }
            if (i % 10 == 0 || i == changes)
            {
                await sweeper.SweepAsync(CancellationToken.None);
                var (bytes, blobs) = await StoredAsync(container, id);
                Console.WriteLine($"after {i,4} changes and a sweep: {blobs,4} blob(s), {bytes / 1024.0,8:F0} KiB " +
                    $"({(bytes - firstBytes) / (double)i / 1024.0,7:F1} KiB per change since the import)");
            }
        }

        var list = await MedianAsync(20, () => GetAsync(bench.Http, $"/v2/control-planes/{cp}/config-versions"));
        var versions = JsonDocument.Parse(await (await bench.Http.GetAsync($"/v2/control-planes/{cp}/config-versions?page[size]=1000")).Content.ReadAsStringAsync())
            .RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("hash").GetString()!).ToList();
        var diff = await MedianAsync(5, () => GetAsync(bench.Http, $"/v2/control-planes/{cp}/config-versions/{versions[^1]}/diff/{versions[0]}"));
        Console.WriteLine($"list {versions.Count} versions: {list:F1} ms (median of 20); diff oldest kept against newest: {diff:F0} ms (median of 5)");
    }

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        }
    }

    private static async Task<double> MedianAsync(int runs, Func<Task> run)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(runs / 2);
    }

    /// <summary>The control plane's blobs in the snapshots container: snapshots, their compressed copies, and any import journal.</summary>
    private static async Task<(long Bytes, int Blobs)> StoredAsync(BlobContainerClient container, Guid controlPlane)
    {
        var (bytes, blobs) = (0L, 0);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{controlPlane}/", CancellationToken.None))
        {
            bytes += blob.Properties.ContentLength ?? 0;
            blobs++;
        }
        return (bytes, blobs);
    }

    private static string File(int services)
    {
        var text = new StringBuilder("""{"_format_version":"3.0","services":[""");
        for (var i = 0; i < services; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$$"""{"name":"svc-{{{i}}}","host":"svc-{{{i}}}.internal","routes":[{"name":"route-{{{i}}}","paths":["/svc-{{{i}}}"]}],"plugins":[{"name":"rate-limiting","config":{"minute":{{{i % 100 + 1}}}}}]}""");
        }
        return text.Append("]}").ToString();
    }
}
