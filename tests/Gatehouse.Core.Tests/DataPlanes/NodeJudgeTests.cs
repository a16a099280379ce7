using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Core.Tests.DataPlanes;

/// <summary>What is concluded about a node from what it reported, without any store.</summary>
public sealed class NodeJudgeTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly NodeJudge s_judge = new(KongVersion.Parse("3.9.1"), TimeSpan.FromHours(24));
    private static readonly Guid s_controlPlane = Guid.NewGuid();
    private static readonly Guid s_certificate = Guid.NewGuid();

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> s_usesRateLimiting =
        new Dictionary<string, IReadOnlyList<string>> { ["rate-limiting"] = ["p1"] };

    private static HeartbeatReport Report(string version = "3.9.1.0", string configHash = "", params NodePlugin[] plugins) =>
        new(Guid.NewGuid(), "dp-1", version, plugins, configHash, new Dictionary<string, string> { ["zone"] = "a" }, new NodeError("bad config", "c0ffee"));

    [Fact]
    public void A_heartbeat_records_what_the_node_reported_seen_now_and_first_seen_when_it_was()
    {
        var report = Report(plugins: new NodePlugin("cors", "3.9.1"));
        var firstSeen = s_now.AddDays(-3);

        var node = s_judge.Record(s_controlPlane, s_certificate, report, firstSeen, s_now);

        Assert.Equal(report.NodeId, node.Id);
        Assert.Equal(s_controlPlane, node.ControlPlaneId);
        Assert.Equal(s_certificate, node.CertificateId);
        Assert.Equal((report.Hostname, report.Version, report.ConfigHash), (node.Hostname, node.Version, node.ConfigHash));
        Assert.Equal(report.Plugins, node.Plugins);
        Assert.Equal(report.Labels, node.Labels);
        Assert.Equal(report.Error, node.LastError);
        Assert.Equal((s_now, s_now, firstSeen), (node.LastPing, node.UpdatedAt, node.CreatedAt));
    }

    [Fact]
    public void A_node_never_recorded_is_first_seen_now() =>
        Assert.Equal(s_now, s_judge.Record(s_controlPlane, s_certificate, Report(), null, s_now).CreatedAt);

    [Theory]
    [InlineData(0, true)]
    [InlineData(24 * 60, true)]
    [InlineData((24 * 60) + 1, false)]
    public void A_node_is_live_until_it_has_been_unseen_for_the_retention_time(int minutesUnseen, bool live)
    {
        var node = s_judge.Record(s_controlPlane, s_certificate, Report(), null, s_now.AddMinutes(-minutesUnseen));

        Assert.Equal(live, s_judge.IsLive(node, s_now));
        Assert.Equal(s_now.AddHours(-24), s_judge.Horizon(s_now));
    }

    [Fact]
    public void Compatibility_is_judged_against_the_control_planes_Kong_version_and_the_configs_plugins()
    {
        var node = s_judge.Record(s_controlPlane, s_certificate, Report(plugins: new NodePlugin("rate-limiting", "3.9.1")), null, s_now);
        var lacking = s_judge.Record(s_controlPlane, s_certificate, Report(), null, s_now);
        var newer = s_judge.Record(s_controlPlane, s_certificate, Report("3.10.0.0", plugins: new NodePlugin("rate-limiting", "3.9.1")), null, s_now);

        Assert.Equal(CompatibilityStatus.FullyCompatible, s_judge.Compatibility(node, s_usesRateLimiting).State);
        var issue = Assert.Single(s_judge.Compatibility(lacking, s_usesRateLimiting).Issues);
        Assert.Equal((NodeCompatibility.PluginSetIncompatible, "p1"), (issue.Code, Assert.Single(issue.AffectedResources).Id));
        Assert.Equal(NodeCompatibility.KongVersionIncompatible, Assert.Single(s_judge.Compatibility(newer, s_usesRateLimiting).Issues).Code);
    }

    [Fact]
    public void Judged_on_plugin_names_alone_an_issue_names_no_instances_and_says_it_concerns_plugins()
    {
        var lacking = s_judge.Record(s_controlPlane, s_certificate, Report(), null, s_now);
        var newer = s_judge.Record(s_controlPlane, s_certificate, Report("3.10.0.0", plugins: new NodePlugin("rate-limiting", "3.9.1")), null, s_now);
        var tooNewPlugin = s_judge.Record(s_controlPlane, s_certificate, Report(plugins: new NodePlugin("rate-limiting", "3.11.0")), null, s_now);

        var byName = s_judge.Compatibility(lacking, ["rate-limiting"]);
        var issue = Assert.Single(byName.Issues);
        Assert.Equal(NodeCompatibility.PluginSetIncompatible, issue.Code);
        Assert.Empty(issue.AffectedResources);
        Assert.True(byName.ConcernsPlugins);
        Assert.Equal(byName.Issues.Select(i => i.Description), s_judge.Compatibility(lacking, s_usesRateLimiting).Issues.Select(i => i.Description));

        Assert.True(s_judge.Compatibility(tooNewPlugin, ["rate-limiting"]).ConcernsPlugins);
        Assert.False(s_judge.Compatibility(newer, ["rate-limiting"]).ConcernsPlugins);
        Assert.True(s_judge.Compatibility(newer, ["rate-limiting"]).IsIncompatible);
        Assert.False(s_judge.Compatibility(lacking, []).ConcernsPlugins);
        Assert.Equal(CompatibilityStatus.FullyCompatible, s_judge.Compatibility(lacking, []).State);
    }

    [Theory]
    [InlineData("c0ffee", NodeView.InSync)]
    [InlineData("", NodeView.OutOfSync)]
    [InlineData("other", NodeView.OutOfSync)]
    public void A_node_is_in_sync_when_it_runs_the_expected_config(string runs, string status)
    {
        var node = s_judge.Record(s_controlPlane, s_certificate, Report(configHash: runs), null, s_now);

        Assert.Equal(status, new NodeView(node, CompatibilityStatus.NotKnown, "c0ffee").SyncStatus);
    }
}
