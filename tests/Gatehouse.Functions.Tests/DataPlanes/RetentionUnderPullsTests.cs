using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Versions;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// Retention over 200 changes while data plane clients (client certificates over real TLS, on
/// Azurite) keep pulling as the sidecar does, with If-None-Match, and heartbeating what they run; a
/// staged rollout serves a canary to one of them and a stable config to the others, one node stays
/// on the first config throughout, and the sweep runs again and again. The blobs stay bounded, no
/// snapshot served when a sweep starts is gone when it ends, and every pull answers 200 or 304.
/// </summary>
public sealed class RetentionUnderPullsTests(StorageFixture storage)
{
    private const int Keep = 5;
    private const int Changes = 200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_200_changes_with_nodes_pulling_and_sweeps_running_the_blobs_stay_bounded_and_every_pull_is_answered()
    {
        // Grace (3 s) outlasts how long an instance holds a pointer (1 s), so a pointer just read is never a snapshot just deleted.
        await using var kit = await DataPlaneKit.StartAsync(storage, new Dictionary<string, string?>
        {
            ["Gatehouse:Versions:Keep"] = Keep.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gatehouse:Versions:GraceMinutes"] = "0.05",
        });
        var cp = await kit.CreateControlPlaneAsync("retention-under-pulls");
        await kit.PostEntityAsync(cp, "/services", """{"name":"s0","host":"s0.internal"}""");
        var (_, first) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("services", out _));
        var (certificate, _) = await kit.PinAsync(cp);
        // Half the nodes ask for br/gzip, so compressed copies are made (and must go with their snapshots).
        var pullers = Enumerable.Range(0, 4)
            .Select(i => (Id: Guid.NewGuid(), Client: kit.DataPlane(certificate, i % 2 == 0 ? DecompressionMethods.All : DecompressionMethods.None)))
            .ToList();
        var stuck = Guid.NewGuid();
        var dp = pullers[1].Client;
        foreach (var node in pullers.Select(p => p.Id).Append(stuck))
        {
            await BeatAsync(dp, node, first, Ct);
        }
        await (await kit.Admin.PutJsonAsync($"/v2/control-planes/{cp}/rollout-policy",
            JsonSerializer.Serialize(new { canary_node_ids = new[] { pullers[0].Id }, bake_time_seconds = 3600, auto_promote = false }))).ExpectAsync(HttpStatusCode.OK);

        var statuses = new ConcurrentBag<(Guid Node, HttpStatusCode Status, string? Detail)>();
        var running = new ConcurrentDictionary<Guid, string>(pullers.ToDictionary(p => p.Id, _ => first));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pulling = pullers.Select(p => PullUntilStoppedAsync(p.Client, p.Id, running, statuses, stop.Token)).ToList();
        var stuckBeating = BeatUntilStoppedAsync(dp, stuck, first, stop.Token);
        var sweeps = new SweepLoop(kit, storage, cp);
        var sweeping = sweeps.RunAsync(stop.Token);

        for (var n = 1; n <= Changes; n++)
        {
            await kit.PostEntityAsync(cp, "/services", $$"""{"name":"s{{n}}","host":"s{{n}}.internal"}""");
            if (n % 10 == 0)
            {
                // Writes answer in milliseconds: let a sweep run between every ten, so sweeps and changes interleave whatever the speed of either.
                var swept = sweeps.Count;
                while (sweeps.Count == swept)
                {
                    await Task.Delay(10, Ct);
                }
            }
            if (n == Changes / 2)
            {
                // Halfway, the canary of the moment becomes the stable config every other node moves to.
                await (await kit.Admin.PostAsync($"/v2/control-planes/{cp}/rollout/promote", null, Ct)).ExpectAsync(HttpStatusCode.OK);
            }
        }
        var (_, last) = await kit.WaitForConfigAsync(cp, c => c.GetProperty("services").GetArrayLength() == Changes + 1);
        var rollout = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);
        var stable = rollout.GetProperty("stable_config_hash").GetString()!;
        Assert.Equal(("baking", last), (rollout.GetProperty("state").GetString(), rollout.GetProperty("canary_config_hash").GetString()));
        // Every puller reaches its target while the sweeps go on: the canary the last config, the others the stable one.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(running[pullers[0].Id] == last && pullers.Skip(1).All(p => running[p.Id] == stable)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the pullers never reached their targets: {string.Join(", ", running)}");
            await Task.Delay(100, Ct);
        }
        await stop.CancelAsync();
        await Task.WhenAll([.. pulling, stuckBeating, sweeping]);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{sweeps.Count} sweeps, up to {sweeps.MostBlobs} blobs at once; pulls: {string.Join(", ", statuses.GroupBy(s => s.Status).Select(g => $"{g.Count()} x {(int)g.Key}"))}");
        Assert.True(sweeps.Count >= 10, $"only {sweeps.Count} sweeps ran during the changes");
        Assert.Empty(sweeps.Deleted);
        Assert.DoesNotContain(statuses, s => s.Status is not (HttpStatusCode.OK or HttpStatusCode.NotModified));
        Assert.All(pullers, p => Assert.Contains(statuses, s => s.Node == p.Id && s.Status == HttpStatusCode.OK));

        // Once the grace is over, a sweep leaves the last Keep versions and the served ones (canary, stable,
        // the stuck node's first config), each with at most its two compressed copies.
        await Task.Delay(TimeSpan.FromSeconds(3.5), Ct);
        await kit.App.Services.GetRequiredService<Sweeper>().SweepAsync(Ct);
        var blobs = await sweeps.BlobNamesAsync(Ct);
        var snapshots = blobs.Where(b => b.EndsWith(".json", StringComparison.Ordinal)).Select(b => b.Split('/')[1][..^".json".Length]).ToHashSet();
        Assert.InRange(blobs.Count, 1, (Keep + 3) * 3);
        Assert.Contains(first, snapshots);
        Assert.Contains(stable, snapshots);
        Assert.Contains(last, snapshots);
        Assert.All(blobs, b => Assert.Contains(b.Split('/')[1].Split('.')[0], snapshots));
        Assert.True(sweeps.MostBlobs < Changes, $"up to {sweeps.MostBlobs} blobs at once");
        var versions = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/config-versions?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.InRange(versions.GetProperty("data").GetArrayLength(), Keep, Keep + 3);
    }

    private static async Task BeatAsync(HttpClient dp, Guid node, string hash, CancellationToken ct) =>
        await (await dp.PostAsync("/v1/dp/heartbeat", new StringContent(DataPlaneKit.Heartbeat(node, plugins: "[]", hash: hash), System.Text.Encoding.UTF8, "application/json"),
            ct)).ExpectAsync(HttpStatusCode.OK);

    /// <summary>The sidecar's pull: If-None-Match with what it runs; a 200's bytes must hash to its ETag; then a heartbeat saying what runs.</summary>
    private static async Task PullUntilStoppedAsync(HttpClient dp, Guid node, ConcurrentDictionary<Guid, string> running,
        ConcurrentBag<(Guid, HttpStatusCode, string?)> statuses, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/dp/config?node_id={node}");
                request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{running[node]}\""));
                using var response = await dp.SendAsync(request, stop);
                var body = await response.Content.ReadAsByteArrayAsync(stop);
                statuses.Add((node, response.StatusCode, response.IsSuccessStatusCode ? null : System.Text.Encoding.UTF8.GetString(body)));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var hash = response.Headers.ETag!.Tag.Trim('"');
                    Assert.Equal(hash, ConfigHash.Of(body).Config);
                    running[node] = hash;
                    await BeatAsync(dp, node, hash, stop);
                }
                await Task.Delay(25, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task BeatUntilStoppedAsync(HttpClient dp, Guid node, string hash, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await BeatAsync(dp, node, hash, stop);
                await Task.Delay(1000, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>
    /// Sweeps over and over. Before each, reads what is served (the pointer, the rollout's snapshots,
    /// the config each node last said it runs); after it, every one of them must still be readable.
    /// </summary>
    private sealed class SweepLoop(DataPlaneKit kit, StorageFixture storage, Guid cp)
    {
        private readonly ISnapshotStore _snapshots = kit.App.Services.GetRequiredService<ISnapshotStore>();

        public int Count { get; private set; }

        public int MostBlobs { get; private set; }

        public List<string> Deleted { get; } = [];

        public async Task RunAsync(CancellationToken stop)
        {
            var sweeper = kit.App.Services.GetRequiredService<Sweeper>();
            var rollouts = kit.App.Services.GetRequiredService<IRolloutSnapshots>();
            try
            {
                while (true)
                {
                    var served = new HashSet<string>(StringComparer.Ordinal) { (await _snapshots.GetPointerAsync(cp, stop))!.Hash };
                    served.UnionWith(await rollouts.ServedHashesAsync(cp, stop));
                    var nodes = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", stop)).ExpectAsync(HttpStatusCode.OK);
                    served.UnionWith(nodes.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("config_hash").GetString()!).Where(h => h.Length > 0));
                    await sweeper.SweepAsync(stop);
                    Count++;
                    foreach (var hash in served)
                    {
                        if (await _snapshots.ReadSnapshotAsync(cp, hash, stop) is null)
                        {
                            Deleted.Add(hash);
                        }
                    }
                    MostBlobs = Math.Max(MostBlobs, (await BlobNamesAsync(stop)).Count);
                    await Task.Delay(100, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped.
            }
        }

        public async Task<List<string>> BlobNamesAsync(CancellationToken ct)
        {
            var container = storage.CreateBlobServiceClient().GetBlobContainerClient($"{kit.App.Prefix.ToLowerInvariant()}snapshots");
            var names = new List<string>();
            await foreach (var blob in container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None,
                global::Azure.Storage.Blobs.Models.BlobStates.None, $"{cp}/", ct))
            {
                names.Add(blob.Name);
            }
            return names;
        }
    }
}
