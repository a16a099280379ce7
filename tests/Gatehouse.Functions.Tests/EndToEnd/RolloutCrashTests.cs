using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Composition;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.Processes;

namespace Gatehouse.Functions.Tests.EndToEnd;

/// <summary>
/// The app, a real process, dies in the middle of a promotion or an abort (<c>Gatehouse:Rollouts:CrashAt</c>):
/// after deciding, before its one write (the rollout record), or after that write, before anyone is
/// pushed. Real sidecars keep Kong on what it ran; a new process finds the rollout either still
/// baking (and promotable, or abortable) or ended, and every node converges on the hash the rollout
/// ends at, whose snapshot is there to be served.
/// </summary>
public sealed class RolloutCrashTests(StorageFixture storage)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string? Running(SidecarNode node) =>
        node.Kong!.CurrentConfig is { } config ? ConfigHash.Of(Encoding.UTF8.GetBytes(config)).Config : null;

    [Theory]
    [InlineData("promote", "promoted", "Decided")]
    [InlineData("promote", "promoted", "Written")]
    [InlineData("abort", "aborted", "Decided")]
    [InlineData("abort", "aborted", "Written")]
    public async Task An_app_killed_in_a_promotion_or_an_abort_leaves_a_rollout_that_a_new_process_ends_and_every_node_converges(
        string action, string phase, string step)
    {
        await using var fleet = await SidecarFleet.StartAsync(storage);
        await fleet.PostServiceAsync("orders");
        for (var i = 0; i < 3; i++)
        {
            fleet.StartSidecar(await fleet.AddNodeAsync(new KongNodeOptions { Version = "3.9.1" }), s_poll, i == 0 ? "ring:canary" : "ring:main");
        }
        var nodes = fleet.Nodes;
        await fleet.WaitUntilAsync(() => nodes.All(n => Running(n) is not null), TimeSpan.FromSeconds(60), "every node runs the first config");
        var first = Running(nodes[0])!;
        foreach (var node in nodes)
        {
            await fleet.WaitUntilAsync(() => fleet.NodeViewAsync(node).Result.GetProperty("config_hash").GetString() == first,
                TimeSpan.FromSeconds(15), $"node {node.Options.NodeId} reports {first}");
        }
        await (await fleet.Admin.PutJsonAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout-policy",
            JsonSerializer.Serialize(new { canary_labels = new { ring = "canary" }, bake_time_seconds = 3600, auto_promote = false }))).ExpectAsync(HttpStatusCode.OK);
        await fleet.PostRouteAsync("orders", "r1");
        await fleet.WaitUntilAsync(() => Running(nodes[0]) is { } h && h != first, TimeSpan.FromSeconds(20), "the canary runs the second config");
        var second = Running(nodes[0])!;

        // The app that acts dies at the step; the sidecars stay up, Kong keeps what it runs.
        await fleet.StopAppAsync();
        await fleet.StartAppAsync(new Dictionary<string, string> { ["Gatehouse__Rollouts__CrashAt"] = $"{phase}:{step}" });
        var doomed = fleet.App!;
        try
        {
            using var answer = await doomed.Client.PostAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout/{action}", null, Ct);
            Assert.Fail($"the app answered {answer.StatusCode} instead of dying at {phase}:{step}");
        }
        catch (HttpRequestException)
        {
            // It died before answering, as it should.
        }
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CrashInjection.ExitCode, doomed.ExitCode);
        Assert.Contains(doomed.Output, line => line.Contains($"Crashing on purpose at {phase}:{step}", StringComparison.Ordinal));
        Assert.True(nodes.Skip(1).All(n => Running(n) == first) && Running(nodes[0]) == second, fleet.Diagnostics());

        // What the crash left: the record as it was (decided, not written) or ended (written, nobody told).
        var row = await storage.CreateTableServiceClient().GetTableClient($"{fleet.Prefix}snapshots")
            .GetEntityAsync<TableEntity>(fleet.ControlPlaneId.ToString(), "rollout", cancellationToken: Ct);
        using var left = JsonDocument.Parse(row.Value.GetString("State"));
        Assert.Equal(step == "Written" ? phase : "baking", left.RootElement.GetProperty("Phase").GetString());

        await fleet.StopAppAsync();
        await fleet.StartAppAsync();
        var ended = action == "promote" ? second : first;
        if (step == "Decided")
        {
            // Nothing was written: the rollout still bakes, and the same action ends it now.
            var still = await (await fleet.Admin.GetAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(("baking", second), (still.GetProperty("state").GetString(), still.GetProperty("canary_config_hash").GetString()));
            await (await fleet.Admin.PostAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout/{action}", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        }
        var rollout = await (await fleet.Admin.GetAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((phase, ended), (rollout.GetProperty("state").GetString(), rollout.GetProperty("stable_config_hash").GetString()));
        await (await fleet.Admin.PostAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout/{action}", null, Ct)).ExpectAsync(HttpStatusCode.Conflict);

        // Every node converges on the hash the rollout ended at (nobody was pushed when the writer died
        // after its write: their polls bring it), says so, and that snapshot can be served.
        await fleet.WaitUntilAsync(() => nodes.All(n => Running(n) == ended), TimeSpan.FromSeconds(30), $"every node runs {ended}");
        foreach (var node in nodes)
        {
            await fleet.WaitUntilAsync(() => fleet.NodeViewAsync(node).Result is var view
                && view.GetProperty("config_hash").GetString() == ended && view.GetProperty("expected_config_hash").GetString() == ended,
                TimeSpan.FromSeconds(15), $"node {node.Options.NodeId} reports and is expected to run {ended}");
        }
        await (await fleet.Admin.GetAsync($"/v2/control-planes/{fleet.ControlPlaneId}/config-versions/{ended}", Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await fleet.Admin.GetAsync($"/v2/control-planes/{fleet.ControlPlaneId}/config-versions/{second}", Ct)).ExpectAsync(HttpStatusCode.OK);
    }
}
