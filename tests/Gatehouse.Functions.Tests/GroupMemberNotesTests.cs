using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Issue #16: a group's recomposition learns which members moved from the revisions their
/// recompositions note with it, in one read, and reads only those members; a member whose worker
/// stopped between moving its pointer and noting it is found by the sweep. Recomposition is driven
/// by hand here (no local poller or sweep timer), so each step is seen as it lands.
/// </summary>
public sealed class GroupMemberNotesTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_group_reads_only_the_members_that_moved_and_the_sweep_finds_a_move_whose_note_was_lost()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:Local"] = "false" });
        var recomposer = app.Services.GetRequiredService<Recomposer>();
        var cache = app.Services.GetRequiredService<CachedEntityReader>();
        var snapshots = app.Services.GetRequiredService<ISnapshotStore>();
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"noted-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var group = Guid.Parse(created.GetProperty("id").GetString()!);
        var roots = new List<string>();
        for (var m = 0; m < 4; m++)
        {
            roots.Add(await app.CreateControlPlaneAsync($"noted-{m}"));
            await (await app.Client.PostJsonAsync(roots[m] + "/services", $$"""{"name":"m{{m}}-first","host":"first.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        }
        var members = roots.Select(r => Guid.Parse(r.Split('/')[3])).ToList();
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add",
            $$"""{"members":[{{string.Join(",", members.Select(m => $$"""{"id":"{{m}}"}"""))}}]}""")).ExpectAsync(HttpStatusCode.NoContent);
        foreach (var member in members)
        {
            await recomposer.RecomposeAsync(member, Ct);
        }
        // The first composition reads every member (none was noted: they joined with their entities) and notes each as read.
        Assert.Equal(RecomposeOutcome.Composed, (await recomposer.RecomposeAsync(group, Ct)).Outcome);
        var noted = await snapshots.ReadMemberRevisionsAsync(group, Ct);
        Assert.Equal(members.Order(), noted.Keys.Order());

        // A change to one member: its recomposition notes it, and the group reads it alone.
        await (await app.Client.PostJsonAsync(roots[1] + "/services", """{"name":"m1-second","host":"second.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(RecomposeOutcome.Composed, (await recomposer.RecomposeAsync(members[1], Ct)).Outcome);
        var reads = cache.IncrementalReads + cache.FullReads;
        var (outcome, pointer) = await recomposer.RecomposeAsync(group, Ct);
        Assert.Equal(RecomposeOutcome.Composed, outcome);
        Assert.Equal(1, cache.IncrementalReads + cache.FullReads - reads);
        Assert.Equal((await snapshots.GetPointerAsync(members[1], Ct))!.Revision, pointer!.Source.Members![members[1]]);
        Assert.Contains("m1-second", await ServiceNamesAsync(snapshots, group, pointer.Hash));

        // A worker stops after moving member 2's pointer, before noting it with the group and asking the group.
        await (await app.Client.PostJsonAsync(roots[2] + "/services", """{"name":"m2-second","host":"second.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var stopping = app.RecomposerWith(new StopAt(members[2]), app.Services.GetRequiredService<IDataPlaneNotifier>());
        await Assert.ThrowsAsync<WorkerStopped>(() => stopping.RecomposeAsync(members[2], Ct));
        var moved = (await snapshots.GetPointerAsync(members[2], Ct))!.Revision;
        Assert.True(moved > pointer.Source.Members[members[2]]);
        // Until the sweep, the group takes member 2 as unmoved: its note says so.
        Assert.Equal(RecomposeOutcome.UpToDate, (await recomposer.RecomposeAsync(group, Ct)).Outcome);

        var swept = await app.Services.GetRequiredService<Sweeper>().SweepAsync(Ct);
        Assert.Contains(group, swept);
        Assert.Equal(moved, (await snapshots.ReadMemberRevisionsAsync(group, Ct))[members[2]]);
        reads = cache.IncrementalReads + cache.FullReads;
        (outcome, pointer) = await recomposer.RecomposeAsync(group, Ct);
        Assert.Equal(RecomposeOutcome.Composed, outcome);
        Assert.Equal(1, cache.IncrementalReads + cache.FullReads - reads);
        Assert.Equal(moved, pointer!.Source.Members![members[2]]);
        Assert.Contains("m2-second", await ServiceNamesAsync(snapshots, group, pointer.Hash));
    }

    private static async Task<List<string>> ServiceNamesAsync(ISnapshotStore snapshots, Guid group, string hash) =>
        [.. JsonNode.Parse((await snapshots.ReadSnapshotAsync(group, hash, Ct))!.Value.Span)!["services"]!.AsArray().Select(s => s!["name"]!.GetValue<string>())];

    private sealed class WorkerStopped : Exception;

    /// <summary>A worker that stops right after moving <paramref name="controlPlane"/>'s pointer.</summary>
    private sealed class StopAt(Guid controlPlane) : IRecomposeObserver
    {
        public void Reached(Guid target, RecomposeStep step)
        {
            if (target == controlPlane && step == RecomposeStep.PointerMoved)
            {
                throw new WorkerStopped();
            }
        }
    }
}
