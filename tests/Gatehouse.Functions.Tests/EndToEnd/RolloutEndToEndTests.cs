using System.Net;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Composition;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.Processes;

namespace Gatehouse.Functions.Tests.EndToEnd;

/// <summary>
/// Staged rollouts with real sidecar processes and Kong stand-ins, the app a real process on
/// Azurite: a new config runs on the labelled canary only until it is promoted (by hand, then after
/// its bake time); a canary whose Kong refuses it rolls it back; an abort does the same.
/// </summary>
public sealed class RolloutEndToEndTests(StorageFixture storage)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string HashOf(string config) => ConfigHash.Of(Encoding.UTF8.GetBytes(config)).Config;

    private static string? Running(SidecarNode node) => node.Kong!.CurrentConfig is { } config ? HashOf(config) : null;

    private static bool Runs(SidecarNode node, string route) => node.Kong!.CurrentConfig?.Contains($"\"name\":\"{route}\"", StringComparison.Ordinal) == true;

    /// <summary>Three nodes, the first labelled ring:canary, all running the first config.</summary>
    private static async Task<(SidecarFleet Fleet, string First)> StartAsync(StorageFixture storage)
    {
        var fleet = await SidecarFleet.StartAsync(storage);
        await fleet.PostServiceAsync("orders");
        for (var i = 0; i < 3; i++)
        {
            fleet.StartSidecar(await fleet.AddNodeAsync(new KongNodeOptions { Version = "3.9.1" }), s_poll, i == 0 ? "region:test,ring:canary" : "region:test");
        }
        await fleet.WaitUntilAsync(() => fleet.Nodes.All(n => n.Kong!.CurrentConfig?.Contains("\"orders\"", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(60), "every node runs the first config");
        var first = Running(fleet.Nodes[0])!;
        // Every node has said so, so the policy's canary (by label) is known when the next config comes.
        foreach (var node in fleet.Nodes)
        {
            await fleet.WaitUntilAsync(() => fleet.NodeViewAsync(node).Result.GetProperty("config_hash").GetString() == first,
                TimeSpan.FromSeconds(15), $"node {node.Options.NodeId} reports {first}");
        }
        return (fleet, first);
    }

    private static async Task PutPolicyAsync(SidecarFleet fleet, int bakeSeconds, bool autoPromote) =>
        await (await fleet.Admin.PutJsonAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout-policy",
            JsonSerializer.Serialize(new { canary_labels = new { ring = "canary" }, bake_time_seconds = bakeSeconds, auto_promote = autoPromote })))
            .ExpectAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> RolloutAsync(SidecarFleet fleet) =>
        await (await fleet.Admin.GetAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);

    [Fact]
    public async Task A_new_config_runs_on_the_labelled_canary_only_until_it_is_promoted_by_hand_or_after_its_bake_time()
    {
        var (fleet, first) = await StartAsync(storage);
        await using var _ = fleet;
        var nodes = fleet.Nodes;
        await PutPolicyAsync(fleet, bakeSeconds: 3600, autoPromote: false);
        var idle = await RolloutAsync(fleet);
        Assert.Equal(("idle", first), (idle.GetProperty("state").GetString(), idle.GetProperty("stable_config_hash").GetString()));

        await fleet.PostRouteAsync("orders", "r1");
        await fleet.WaitUntilAsync(() => Runs(nodes[0], "r1"), TimeSpan.FromSeconds(20), "the canary runs r1");
        var second = Running(nodes[0])!;
        // Several polls and heartbeats later the other nodes still run the stable config.
        await Task.Delay(s_poll * 3, Ct);
        Assert.True(nodes.Skip(1).All(n => Running(n) == first), fleet.Diagnostics());

        var baking = await RolloutAsync(fleet);
        Assert.Equal("baking", baking.GetProperty("state").GetString());
        Assert.Equal(first, baking.GetProperty("stable_config_hash").GetString());
        Assert.Equal(second, baking.GetProperty("canary_config_hash").GetString());
        var canary = Assert.Single(baking.GetProperty("canary_nodes").EnumerateArray());
        Assert.Equal(nodes[0].Options.NodeId.ToString(), canary.GetProperty("id").GetString());
        Assert.Equal(second, (await fleet.NodeViewAsync(nodes[0])).GetProperty("expected_config_hash").GetString());
        var stable = await fleet.NodeViewAsync(nodes[1]);
        Assert.Equal((first, "in_sync"), (stable.GetProperty("expected_config_hash").GetString(), stable.GetProperty("config_sync_status").GetString()));

        var promoted = await (await fleet.Admin.PostAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout/promote", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("promoted", second), (promoted.GetProperty("state").GetString(), promoted.GetProperty("stable_config_hash").GetString()));
        await fleet.WaitUntilAsync(() => nodes.All(n => Running(n) == second), TimeSpan.FromSeconds(15), "every node runs the promoted config");
        await (await fleet.Admin.PostAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout/promote", null, Ct)).ExpectAsync(HttpStatusCode.Conflict);

        // With a bake time and auto_promote, the next config reaches every node once it has baked on the canary.
        await PutPolicyAsync(fleet, bakeSeconds: 4, autoPromote: true);
        await fleet.PostRouteAsync("orders", "r2");
        await fleet.WaitUntilAsync(() => Runs(nodes[0], "r2"), TimeSpan.FromSeconds(20), "the canary runs r2");
        Assert.True(nodes.Skip(1).All(n => Running(n) == second), fleet.Diagnostics());
        await fleet.WaitUntilAsync(() => nodes.All(n => Runs(n, "r2")), TimeSpan.FromSeconds(30), "every node runs r2 after the bake");
        var baked = await RolloutAsync(fleet);
        Assert.Equal(("promoted", Running(nodes[0])), (baked.GetProperty("state").GetString(), baked.GetProperty("stable_config_hash").GetString()));
        Assert.StartsWith("baked for 4 s", baked.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_whose_Kong_refuses_the_config_rolls_it_back_and_an_abort_does_the_same()
    {
        var (fleet, first) = await StartAsync(storage);
        await using var _ = fleet;
        var nodes = fleet.Nodes;
        await PutPolicyAsync(fleet, bakeSeconds: 3600, autoPromote: true);

        nodes[0].Kong!.RejectAll(true, "uniqueness violation on routes (test)");
        await fleet.PostRouteAsync("orders", "r1");
        await fleet.WaitUntilAsync(() => RolloutAsync(fleet).Result.GetProperty("state").GetString() == "rolled_back",
            TimeSpan.FromSeconds(20), "the canary's refusal rolls the rollout back");
        var rolledBack = await RolloutAsync(fleet);
        Assert.Contains("uniqueness violation on routes (test)", rolledBack.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(first, rolledBack.GetProperty("stable_config_hash").GetString());
        Assert.All(nodes, n => Assert.Equal(first, n.Kong!.CurrentConfig is { } c ? HashOf(c) : null));
        nodes[0].Kong!.RejectAll(false);
        // The refused config stays off: polls and heartbeats later every node still runs the first one.
        await Task.Delay(s_poll * 3, Ct);
        Assert.True(nodes.All(n => Running(n) == first && !Runs(n, "r1")), fleet.Diagnostics());

        // The next config bakes on the canary (which now loads it), and an abort takes it off again.
        await fleet.PostRouteAsync("orders", "r2");
        await fleet.WaitUntilAsync(() => Runs(nodes[0], "r2"), TimeSpan.FromSeconds(20), "the canary runs r2");
        Assert.True(nodes.Skip(1).All(n => Running(n) == first), fleet.Diagnostics());
        var aborted = await (await fleet.Admin.PostAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout/abort", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("aborted", first), (aborted.GetProperty("state").GetString(), aborted.GetProperty("stable_config_hash").GetString()));
        await fleet.WaitUntilAsync(() => nodes.All(n => Running(n) == first), TimeSpan.FromSeconds(15), "every node is back on the first config");
        await Task.Delay(s_poll * 2, Ct);
        Assert.True(nodes.All(n => Running(n) == first), fleet.Diagnostics());

        // Without the policy every node runs the newest config at once, as without rollouts.
        await (await fleet.Admin.DeleteAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout-policy", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await fleet.WaitUntilAsync(() => nodes.All(n => Runs(n, "r2")), TimeSpan.FromSeconds(15), "every node runs r2 once the policy is gone");
        await (await fleet.Admin.GetAsync($"/v2/control-planes/{fleet.ControlPlaneId}/rollout", Ct)).ExpectAsync(HttpStatusCode.NotFound);
    }
}
