using System.Collections.Concurrent;
using System.Net;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Functions.DataPlanes.Push;
using Gatehouse.Testing;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Functions.Tests.Push;

/// <summary>The recomposer notifies after the pointer moves, and a notifier that fails undoes nothing.</summary>
public sealed class RecomposeNotifyTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_notifier_that_throws_leaves_the_recomposition_done_with_the_pointer_moved()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:Local"] = "false" });
        var root = await app.CreateControlPlaneAsync("notify-fails");
        var cp = Guid.Parse(root.Split('/')[3]);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"s","host":"h.test"}""")).ExpectAsync(HttpStatusCode.Created);
        var notifier = new Notifier(fail: true);
        var observer = new Observer();

        var (outcome, pointer) = await app.RecomposerWith(observer, notifier).RecomposeAsync(cp, Ct);

        Assert.Equal(RecomposeOutcome.Composed, outcome);
        var stored = await app.Services.GetRequiredService<ISnapshotStore>().GetPointerAsync(cp, Ct);
        Assert.Equal(pointer!.Hash, stored!.Hash);
        Assert.Equal(1, stored.Revision);
        Assert.Equal([(cp, stored.Hash)], notifier.Calls);
        Assert.Equal([RecomposeStep.SnapshotWritten, RecomposeStep.PointerMoved, RecomposeStep.NotifyFailed], observer.Steps);
    }

    [Fact]
    public async Task A_control_plane_and_then_its_group_are_notified_once_each_with_their_new_hashes_and_not_when_up_to_date()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:Local"] = "false" });
        var root = await app.CreateControlPlaneAsync("member");
        var cp = Guid.Parse(root.Split('/')[3]);
        var group = Guid.Parse((await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"its-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}""")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{cp}}"}]}""")).ExpectAsync(HttpStatusCode.NoContent);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"s","host":"h.test"}""")).ExpectAsync(HttpStatusCode.Created);
        var notifier = new Notifier(fail: false);
        var recomposer = app.RecomposerWith(new Observer(), notifier);

        var member = await recomposer.RecomposeAsync(cp, Ct);
        var composedGroup = await recomposer.RecomposeAsync(group, Ct);
        Assert.Equal(RecomposeOutcome.UpToDate, (await recomposer.RecomposeAsync(cp, Ct)).Outcome);

        Assert.Equal([(cp, member.Pointer!.Hash), (group, composedGroup.Pointer!.Hash)], notifier.Calls);
        Assert.Equal(RecomposeOutcome.Composed, composedGroup.Outcome);
    }

    [Fact]
    public async Task The_app_notifies_through_the_edge_that_logs_and_swallows_failures()
    {
        await using var app = await RunningApp.StartAsync(storage);
        Assert.IsType<LoggingDataPlaneNotifier>(app.Services.GetRequiredService<IDataPlaneNotifier>());
        var edge = new LoggingDataPlaneNotifier(new Notifier(fail: true), app.Services.GetRequiredService<ILogger<LoggingDataPlaneNotifier>>());
        await edge.NotifyAsync(Guid.NewGuid(), "0123", Ct);
    }

    private sealed class Notifier(bool fail) : IDataPlaneNotifier
    {
        private readonly ConcurrentQueue<(Guid, string)> _calls = new();

        public IReadOnlyList<(Guid, string)> Calls => [.. _calls];

        public Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken)
        {
            _calls.Enqueue((controlPlane, configHash));
            return fail ? Task.FromException(new HttpRequestException("the hub is unreachable")) : Task.CompletedTask;
        }

        public Task NotifyNodesAsync(Guid controlPlane, IReadOnlyCollection<Guid> nodes, string configHash, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The recomposer tells a control plane's group, never nodes.");
    }

    private sealed class Observer : IRecomposeObserver
    {
        private readonly ConcurrentQueue<RecomposeStep> _steps = new();

        public IReadOnlyList<RecomposeStep> Steps => [.. _steps];

        public void Reached(Guid controlPlane, RecomposeStep step) => _steps.Enqueue(step);
    }
}
