using System.Net;
using System.Text;
using Gatehouse.Core.Composition;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.Processes;

namespace Gatehouse.Functions.Tests.EndToEnd;

/// <summary>
/// Three Kong nodes, each a stand-in of Kong's Admin API driven by a real sidecar process, follow
/// a control plane served by the app as a real process on Azurite: by push, by polling when push is
/// cut, through the control plane's outage and a node's restart, and not past a revoked certificate.
/// </summary>
public sealed class SidecarEndToEndTests(StorageFixture storage)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string HashOf(string config) => ConfigHash.Of(Encoding.UTF8.GetBytes(config)).Config;

    private static bool Runs(SidecarNode node, string route) => node.Kong!.CurrentConfig?.Contains($"\"name\":\"{route}\"", StringComparison.Ordinal) == true;

    [Fact]
    public async Task Three_nodes_follow_their_control_plane_by_push_by_poll_through_an_outage_and_not_past_a_revoked_certificate()
    {
        await using var fleet = await SidecarFleet.StartAsync(storage);
        await fleet.PostServiceAsync("orders");
        for (var i = 0; i < 3; i++)
        {
            fleet.StartSidecar(await fleet.AddNodeAsync(new KongNodeOptions { Version = "3.9.1" }), s_poll);
        }
        var nodes = fleet.Nodes;
        await fleet.WaitUntilAsync(() => nodes.All(n => n.Kong!.CurrentConfig?.Contains("\"orders\"", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(60), "every node runs the first config");
        await fleet.WaitUntilAsync(() => nodes.All(n => n.Sidecar!.Log.Contains("Connected to the hub at", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "every sidecar listens for pushes");

        // A route change reaches all three, pushed.
        await fleet.PostRouteAsync("orders", "r1");
        await fleet.WaitUntilAsync(() => nodes.All(n => Runs(n, "r1")), TimeSpan.FromSeconds(15), "every node runs r1");
        var first = HashOf(nodes[0].Kong!.CurrentConfig!);
        Assert.All(nodes, n => Assert.Equal(first, HashOf(n.Kong!.CurrentConfig!)));
        await fleet.WaitUntilAsync(() => nodes.All(n => n.Sidecar!.Log.Contains($"announced config {first} of control plane {fleet.ControlPlaneId}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "every sidecar heard the push");
        foreach (var node in nodes)
        {
            // The heartbeat after the load says so: the control plane sees every node in sync.
            await fleet.WaitUntilAsync(() => fleet.NodeViewAsync(node).Result.GetProperty("config_hash").GetString() == first,
                TimeSpan.FromSeconds(10), $"node {node.Options.NodeId} reports {first}");
            var view = await fleet.NodeViewAsync(node);
            Assert.Equal("3.9.1", view.GetProperty("version").GetString());
            Assert.Equal(node.Options.Hostname, view.GetProperty("hostname").GetString());
        }

        // Kong refuses a config: that node keeps the last good one and its heartbeat says why.
        nodes[1].Kong!.RejectNextWith("uniqueness violation on routes (test)");
        await fleet.PostRouteAsync("orders", "r1b");
        await fleet.WaitUntilAsync(() => Runs(nodes[0], "r1b") && Runs(nodes[2], "r1b"), TimeSpan.FromSeconds(15), "the other nodes run r1b");
        await fleet.WaitUntilAsync(() => fleet.NodeViewAsync(nodes[1]).Result.GetProperty("last_error") is { ValueKind: System.Text.Json.JsonValueKind.Object } error
            && error.GetProperty("message").GetString()!.Contains("uniqueness violation on routes (test)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the refusing node reports Kong's refusal");
        Assert.True(Runs(nodes[1], "r1") && !Runs(nodes[1], "r1b"), fleet.Diagnostics());
        Assert.Equal(first, (await fleet.NodeViewAsync(nodes[1])).GetProperty("config_hash").GetString());

        // Push cut: polling converges all the same, and no push was heard for it.
        fleet.PushRelay.Cut();
        await fleet.PostRouteAsync("orders", "r2");
        await fleet.WaitUntilAsync(() => nodes.All(n => Runs(n, "r2")), s_poll * 4, "every node runs r2 by polling");
        var second = HashOf(nodes[0].Kong!.CurrentConfig!);
        Assert.All(nodes, n => Assert.DoesNotContain($"announced config {second}", n.Sidecar!.Log, StringComparison.Ordinal));
        fleet.PushRelay.Restore();

        // Every hub connection was let in: each sidecar negotiated its token afresh before connecting.
        var refused = fleet.App!.Output.Where(line => line.Contains("was refused: its access token", StringComparison.Ordinal)).ToList();
        Assert.True(refused.Count == 0, string.Join('\n', refused) + "\n" + fleet.Diagnostics());

        // The control plane stops: every node keeps its config, untouched, over several failed polls.
        await fleet.StopAppAsync();
        var loads = nodes.Select(n => n.Kong!.Loads.Count).ToList();
        await Task.Delay(s_poll * 2.5, Ct);
        Assert.All(nodes, n => Assert.False(n.Sidecar!.HasExited, n.Sidecar.Log));
        Assert.Equal(loads, nodes.Select(n => n.Kong!.Loads.Count).ToList());
        Assert.All(nodes, n => Assert.Equal(second, HashOf(n.Kong!.CurrentConfig!)));

        // A node restarted meanwhile (Kong and sidecar, Kong empty) runs its cached config again.
        await nodes[0].Sidecar!.KillAsync();
        await nodes[0].RestartKongAsync(Ct);
        Assert.Null(nodes[0].Kong!.CurrentConfig);
        fleet.StartSidecar(nodes[0], s_poll);
        await fleet.WaitUntilAsync(() => nodes[0].Kong!.CurrentConfig is { } c && HashOf(c) == second, TimeSpan.FromSeconds(20),
            "the restarted node runs its cached config while the control plane is away");
        Assert.Contains($"Loading cached config {second}", nodes[0].Sidecar!.Log, StringComparison.Ordinal);

        // The control plane returns: everyone catches up with a change made after it did.
        await fleet.StartAppAsync();
        await fleet.PostRouteAsync("orders", "r3");
        await fleet.WaitUntilAsync(() => nodes.All(n => Runs(n, "r3")), TimeSpan.FromSeconds(30), "every node runs r3 after the outage");

        // A revoked certificate is refused at once, and its node gets no more config.
        await (await fleet.Admin.DeleteAsync($"/v2/control-planes/{fleet.ControlPlaneId}/dp-client-certificates/{nodes[2].CertificateId}", Ct))
            .ExpectAsync(HttpStatusCode.NoContent);
        await fleet.WaitUntilAsync(() => nodes[2].Sidecar!.Log.Contains("refused this node's certificate (401", StringComparison.Ordinal),
            s_poll * 3, "the revoked node is refused");
        await fleet.PostRouteAsync("orders", "r4");
        await fleet.WaitUntilAsync(() => Runs(nodes[0], "r4") && Runs(nodes[1], "r4"), TimeSpan.FromSeconds(15), "the other nodes run r4");
        await Task.Delay(s_poll * 2, Ct);
        Assert.True(Runs(nodes[2], "r3") && !Runs(nodes[2], "r4"), fleet.Diagnostics());
        Assert.Contains(fleet.App!.Output, line => line.Contains("is not pinned to any control plane", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_incompatible_node_shows_the_issue_and_is_given_no_config()
    {
        await using var fleet = await SidecarFleet.StartAsync(storage);
        await fleet.PostServiceAsync("orders");
        // Kong 3.10 is newer than the control plane's 3.9.1: Kong's rule refuses it.
        var node = await fleet.AddNodeAsync(new KongNodeOptions { Version = "3.10.0" });
        fleet.StartSidecar(node, TimeSpan.FromSeconds(1));

        await fleet.WaitUntilAsync(() => node.Sidecar!.Log.Contains("withholds its config", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the sidecar is told why it gets no config");
        var status = (await fleet.NodeViewAsync(node)).GetProperty("compatibility_status");
        Assert.Equal("COMPATIBILITY_STATE_INCOMPATIBLE", status.GetProperty("state").GetString());
        var issue = Assert.Single(status.GetProperty("issues").EnumerateArray());
        Assert.Contains("3.10.0", issue.GetProperty("description").GetString(), StringComparison.Ordinal);
        await fleet.PostRouteAsync("orders", "r1");
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        Assert.Null(node.Kong!.CurrentConfig);
        Assert.Empty(node.Kong.Loads);
    }
}
