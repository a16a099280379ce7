using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
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
        // The snapshots compared above were rendered from the last document's unchanged sections too.
        var fragments = app.Services.GetRequiredService<RenderedFragments>();
        Assert.True(fragments.SectionsCopied > 20, $"seed {seed}: only {fragments.SectionsCopied} sections copied ({fragments.SectionsRendered} rendered)");
    }

    /// <summary>
    /// A group whose members change as their entities do: random writes to three control planes
    /// (creates, updates, deletes, imports) and members added and removed. After each step, once
    /// the group's pointer stands at the membership and every member's revision, its snapshot is
    /// byte for byte the composition of full reads of its members.
    /// </summary>
    [Fact]
    public async Task Every_group_snapshot_made_from_its_members_changes_is_the_one_full_reads_compose()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GATEHOUSE_FUZZ_SEED"), out var s) ? s : 1606;
        var random = new Random(seed);
        await using var app = await RunningApp.StartAsync(storage);
        var snapshots = app.Services.GetRequiredService<ISnapshotStore>();
        var full = app.Services.GetRequiredService<IEntityReader>();
        var memberships = app.Services.GetRequiredService<IGroupMembershipStore>();
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"incremental-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var group = Guid.Parse(created.GetProperty("id").GetString()!);
        var roots = new List<string>();
        for (var m = 0; m < 3; m++)
        {
            roots.Add(await app.CreateControlPlaneAsync($"member-{m}"));
        }
        Guid IdOf(string root) => Guid.Parse(root.Split('/')[3]);
        // A group is first composed when it gains a member; from then on it always has a pointer to compare.
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{IdOf(roots[0])}}"}]}"""))
            .ExpectAsync(HttpStatusCode.NoContent);
        var inGroup = new HashSet<string> { roots[0] };
        var names = roots.ToDictionary(r => r, _ => new List<string>());
        var (membershipChanges, compared) = (0, 0);

        for (var step = 0; step < 30; step++)
        {
            var root = roots[random.Next(roots.Count)];
            // Names carry the member's, so members never conflict: a conflict keeps the last good snapshot, which is another test's.
            var prefix = $"m{roots.IndexOf(root)}-";
            HttpResponseMessage response;
            switch (random.Next(8))
            {
                case 0 or 1:
                    var verb = inGroup.Contains(root) ? "remove" : "add";
                    response = await app.Client.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/{verb}", $$"""{"members":[{"id":"{{IdOf(root)}}"}]}""");
                    if (verb == "add") { inGroup.Add(root); } else { inGroup.Remove(root); }
                    membershipChanges++;
                    break;
                case 2 when names[root].Count > 0:
                    response = await app.Client.PatchJsonAsync($"{root}/services/{names[root][random.Next(names[root].Count)]}", $$"""{"retries":{{random.Next(1, 9)}}}""");
                    break;
                case 3 when names[root].Count > 0:
                    var gone = names[root][random.Next(names[root].Count)];
                    response = await app.Client.DeleteAsync($"{root}/services/{gone}", Ct);
                    names[root].Remove(gone);
                    break;
                case 4:
                    var kept = names[root].Where(_ => random.Next(2) == 0).ToList();
                    var file = new JsonObject
                    {
                        ["_format_version"] = "3.0",
                        ["services"] = new JsonArray([.. kept.Append($"{prefix}i{step}").Select(n => (JsonNode)new JsonObject { ["name"] = n, ["host"] = $"{n}.internal" })]),
                    };
                    response = await app.Client.PutJsonAsync($"/v2/control-planes/{IdOf(root)}/declarative-config", file.ToJsonString());
                    names[root] = [.. kept, $"{prefix}i{step}"];
                    break;
                default:
                    response = await app.Client.PostJsonAsync(root + "/services", $$"""{"name":"{{prefix}}s{{step}}","host":"s{{step}}.internal"}""");
                    names[root].Add($"{prefix}s{step}");
                    break;
            }
            Assert.True(response.IsSuccessStatusCode, $"seed {seed}, step {step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var membership = await memberships.ReadAsync(Ct);
                var members = new List<(Guid, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>>)>();
                var revisions = new Dictionary<Guid, long>();
                foreach (var member in membership.MembersOf(group))
                {
                    var state = await full.ReadAllAsync(member, Ct);
                    members.Add((member, state.Entities));
                    revisions[member] = state.Revision;
                }
                var pointer = await snapshots.GetPointerAsync(group, Ct);
                if (pointer is not null && pointer.Revision == membership.Sequence && pointer.Source.Members is { } composed
                    && composed.Count == revisions.Count && revisions.All(r => composed.GetValueOrDefault(r.Key, -1) == r.Value))
                {
                    var (entities, conflicts) = GroupComposition.Compose(members);
                    Assert.Empty(conflicts);
                    Assert.Equal(DeclarativeConfig.Write(entities).Hashes.Config, pointer.Hash);
                    compared++;
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"seed {seed}, step {step}: the group's pointer never reached membership {membership.Sequence} and its members' revisions");
                await Task.Delay(20, Ct);
            }
        }
        Assert.Equal(30, compared);
        Assert.True(membershipChanges >= 3, $"seed {seed}: only {membershipChanges} membership changes");

        // Each group version's counts, taken from the kept union's change, are what comparing its snapshot with the one before says.
        var (versions, _) = await app.Services.GetRequiredService<IConfigVersionStore>().ListVersionsAsync(group, 1000, null, Ct);
        JsonObject? previous = null;
        foreach (var version in versions.Reverse())
        {
            var document = JsonNode.Parse((await snapshots.ReadSnapshotAsync(group, version.Hash, Ct))!.Value.Span)!.AsObject();
            var expected = VersionChanges.Between(previous, document);
            Assert.True(Describe(expected) == Describe(version.Changes),
                $"seed {seed}, group version {version.Number}: counted {Describe(version.Changes)}, the snapshots say {Describe(expected)}");
            previous = document;
        }
        Assert.True(versions.Count > 10, $"seed {seed}: only {versions.Count} group versions");
        var fragments = app.Services.GetRequiredService<RenderedFragments>();
        Assert.True(fragments.SectionsCopied > 20, $"seed {seed}: only {fragments.SectionsCopied} sections copied ({fragments.SectionsRendered} rendered)");
    }

    /// <summary>
    /// Issue #16: a member's change costs its group no read of the snapshot before. The version's counts
    /// come from the group's kept union, so they are right even when that snapshot can no longer be read
    /// (counting from the snapshots would then have to say nothing).
    /// </summary>
    [Fact]
    public async Task A_group_version_counts_its_change_without_reading_the_snapshot_before()
    {
        // Nothing kept in memory either: the snapshot before must be gone for the recomposer too.
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:NewestSnapshotMegabytes"] = "0" });
        var snapshots = app.Services.GetRequiredService<ISnapshotStore>();
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"counted-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var group = Guid.Parse(created.GetProperty("id").GetString()!);
        var root = await app.CreateControlPlaneAsync("counted-member");
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"first","host":"first.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{root.Split('/')[3]}}"}]}"""))
            .ExpectAsync(HttpStatusCode.NoContent);
        var before = await GroupPointerPastAsync(snapshots, group, null);
        await (await app.Client.PatchJsonAsync(root + "/services/first", """{"retries":7}""")).ExpectAsync(HttpStatusCode.OK);
        before = await GroupPointerPastAsync(snapshots, group, before.Hash);

        var blobs = app.Services.GetRequiredService<StorageAccount>().Blobs.GetBlobContainerClient(app.Services.GetRequiredService<StorageLayout>().SnapshotsContainer);
        await foreach (var blob in blobs.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, $"{group}/{before.Hash}", Ct))
        {
            await blobs.DeleteBlobAsync(blob.Name, cancellationToken: Ct);
        }
        Assert.Null(await snapshots.ReadSnapshotAsync(group, before.Hash, Ct));
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"second","host":"second.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var after = await GroupPointerPastAsync(snapshots, group, before.Hash);

        var (versions, _) = await app.Services.GetRequiredService<IConfigVersionStore>().ListVersionsAsync(group, 1, null, Ct);
        var newest = Assert.Single(versions);
        Assert.Equal(after.Hash, newest.Hash);
        Assert.Equal("services +1 ~0 -0", Describe(newest.Changes));
    }

    private static async Task<SnapshotPointer> GroupPointerPastAsync(ISnapshotStore snapshots, Guid group, string? hash)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await snapshots.GetPointerAsync(group, Ct) is { } pointer && pointer.Hash != hash)
            {
                return pointer;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the group's pointer never moved past {hash}");
            await Task.Delay(20, Ct);
        }
    }

    private static string Describe(IReadOnlyDictionary<string, EntityChangeCounts> counts) =>
        string.Join("; ", counts.Select(c => $"{c.Key} +{c.Value.Added} ~{c.Value.Changed} -{c.Value.Removed}"));
}
