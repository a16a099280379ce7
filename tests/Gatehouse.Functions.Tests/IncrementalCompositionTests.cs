using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Versions;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Issue #16, item 5: a snapshot the recomposer makes from its cache and the change log is
/// byte for byte the one a composition from scratch makes of the same state. Random sequences of
/// writes through the API — creates, updates, deletes that cascade, and imports — and after each,
/// once the pointer stands at the revision, the snapshot's hash is the hash of a full read's
/// composition at that revision.
/// </summary>
public sealed class IncrementalCompositionTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_snapshot_made_from_the_change_log_is_the_one_a_full_read_composes()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GATEHOUSE_FUZZ_SEED"), out var s) ? s : 1605;
        var random = new Random(seed);
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("incremental");
        var cp = Guid.Parse(root.Split('/')[3]);
        var snapshots = app.Services.GetRequiredService<ISnapshotStore>();
        var full = app.Services.GetRequiredService<IEntityReader>();
        var cached = app.Services.GetRequiredService<CachedEntityReader>();
        var services = new List<string>();
        var routes = new List<(string Service, string Route)>();
        var (compared, cascades, imports) = (0, 0, 0);

        for (var step = 0; step < 40; step++)
        {
            HttpResponseMessage response;
            switch (random.Next(9))
            {
                case 0 or 1 when services.Count < 12:
                case 2 or 3 or 4 when services.Count == 0:
                    var name = $"s{step}";
                    response = await app.Client.PostJsonAsync(root + "/services", $$"""{"name":"{{name}}","host":"{{name}}.internal"}""");
                    services.Add(name);
                    break;
                case 2 or 3:
                    // A route, and a plugin on it: what deleting the route cascades to.
                    var parent = services[random.Next(services.Count)];
                    response = await app.Client.PostJsonAsync($"{root}/services/{parent}/routes", $$"""{"name":"r{{step}}","paths":["/r{{step}}"]}""");
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        routes.Add((parent, $"r{step}"));
                        response = await app.Client.PostJsonAsync($"{root}/routes/r{step}/plugins", $$$"""{"name":"rate-limiting","config":{"minute":{{{step + 1}}}}}""");
                    }
                    break;
                case 4:
                    response = await app.Client.PatchJsonAsync($"{root}/services/{services[random.Next(services.Count)]}", $$"""{"retries":{{random.Next(1, 9)}}}""");
                    break;
                case 5 or 6 when routes.Count > 0:
                    var route = routes[random.Next(routes.Count)];
                    response = await app.Client.DeleteAsync($"{root}/routes/{route.Route}", Ct);
                    routes.Remove(route);
                    cascades++;
                    break;
                case 5 or 6 when services.Count > 0:
                    // Kong restricts deleting a service its routes use; one without routes goes.
                    var gone = services[random.Next(services.Count)];
                    response = await app.Client.DeleteAsync($"{root}/services/{gone}", Ct);
                    services.Remove(gone);
                    break;
                case 7:
                    // An import that keeps some services, drops the rest and adds consumers: many changes in one revision.
                    var kept = services.Where(_ => random.Next(2) == 0).ToList();
                    // The file leaves out routes and their plugins: the import deletes them.
                    var file = new JsonObject
                    {
                        ["_format_version"] = "3.0",
                        ["services"] = new JsonArray([.. kept.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["host"] = $"{n}.internal" })]),
                        ["consumers"] = new JsonArray([.. Enumerable.Range(0, random.Next(0, 4)).Select(i => (JsonNode)new JsonObject { ["username"] = $"c{step}-{i}" })]),
                    };
                    response = await app.Client.PutJsonAsync($"/v2/control-planes/{cp}/declarative-config", file.ToJsonString());
                    services = kept;
                    routes.Clear();
                    imports++;
                    break;
                default:
                    response = await app.Client.PostJsonAsync(root + "/consumers", $$"""{"username":"u{{step}}"}""");
                    break;
            }
            Assert.True(response.IsSuccessStatusCode, $"step {step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");

            // Once the pointer stands at the revision a full read sees, its hash is the full read's composition.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var state = await full.ReadAllAsync(cp, Ct);
                var pointer = await snapshots.GetPointerAsync(cp, Ct);
                if (pointer?.Revision == state.Revision)
                {
                    Assert.Equal(DeclarativeConfig.Write(state.Entities).Hashes.Config, pointer.Hash);
                    compared++;
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"step {step}: the pointer never reached revision {state.Revision}");
                await Task.Delay(20, Ct);
            }
        }
        Assert.Equal(40, compared);

        // Each version's counts, taken from the change log as the cache applied it, are what comparing its
        // snapshot with the one before says (the way a read of everything counts them).
        var (versions, _) = await app.Services.GetRequiredService<IConfigVersionStore>().ListVersionsAsync(cp, 1000, null, Ct);
        JsonObject? previous = null;
        var counted = 0;
        foreach (var version in versions.Reverse())
        {
            var document = JsonNode.Parse((await snapshots.ReadSnapshotAsync(cp, version.Hash, Ct))!.Value.Span)!.AsObject();
            var expected = VersionChanges.Between(previous, document);
            Assert.True(expected.Count == version.Changes.Count && expected.All(e => version.Changes.GetValueOrDefault(e.Key) == e.Value),
                $"seed {seed}, version {version.Number}: counted {Describe(version.Changes)}, the snapshots say {Describe(expected)}");
            // Every change here is the admin's, imports included; the first snapshot, of nothing, has no maker.
            Assert.Equal(version.Revision == 0 ? null : "the organization admin", version.Principal);
            previous = document;
            counted++;
        }
        Assert.True(counted > 20, $"only {counted} versions");
        Assert.True(cascades > 0 && imports > 0, $"seed {seed}: {cascades} cascading deletes and {imports} imports; the sequence must have both");
        Assert.True(cached.IncrementalReads > 20, $"seed {seed}: only {cached.IncrementalReads} recompositions read the change log ({cached.FullReads} read everything)");
    }

    private static string Describe(IReadOnlyDictionary<string, EntityChangeCounts> counts) =>
        string.Join("; ", counts.Select(c => $"{c.Key} +{c.Value.Added} ~{c.Value.Changed} -{c.Value.Removed}"));
}
