using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Rollouts;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Tests.Rollouts;

/// <summary>The rollout's decisions, from policy, state, newest snapshot and time alone.</summary>
public sealed class RolloutEngineTests
{
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string C = "cccccccccccccccccccccccccccccccc";

    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutPolicy s_byLabel = Policy(labels: new() { ["ring"] = "canary" });
    private static readonly CompatibilityStatus s_compatible = new(CompatibilityStatus.FullyCompatible, []);

    private static RolloutPolicy Policy(Dictionary<string, string>? labels = null, Guid[]? ids = null, int percentage = 0, int bakeSeconds = 60, bool autoPromote = true) =>
        new(labels ?? [], ids ?? [], percentage, TimeSpan.FromSeconds(bakeSeconds), autoPromote);

    private static DataPlaneNode Node(string? ring = null, Guid? id = null, NodeError? error = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        ControlPlaneId = Guid.Empty,
        Hostname = "dp",
        Version = "3.9.1",
        Labels = ring is null ? new Dictionary<string, string> { ["region"] = "eu" } : new Dictionary<string, string> { ["ring"] = ring, ["region"] = "eu" },
        CertificateId = Guid.Empty,
        LastError = error,
        LastPing = s_now,
        CreatedAt = s_now,
        UpdatedAt = s_now,
    };

    private static RolloutState BakingB => RolloutEngine.Decide(s_byLabel, RolloutEngine.Start(A, 1, s_now), B, 2, s_now);

    [Fact]
    public void A_new_snapshot_bakes_on_the_canaries_while_every_other_node_keeps_the_stable_one()
    {
        var idle = RolloutEngine.Start(A, 1, s_now);
        Assert.Equal(idle, RolloutEngine.Decide(s_byLabel, idle, A, 1, s_now.AddHours(1)));

        var baking = RolloutEngine.Decide(s_byLabel, idle, B, 2, s_now);
        Assert.Equal(new RolloutState(RolloutState.Baking, A, B, s_now, null, null) { PointerVersion = 2 }, baking);
        Assert.Equal(B, RolloutEngine.TargetOf(s_byLabel, baking, Node("canary")));
        Assert.Equal(A, RolloutEngine.TargetOf(s_byLabel, baking, Node("main")));
        Assert.Equal(A, RolloutEngine.TargetOf(s_byLabel, baking, Node()));
        Assert.Equal(A, RolloutEngine.TargetOf(s_byLabel, baking, null));
        Assert.Equal([A, B], baking.ServedHashes);
    }

    [Fact]
    public void After_the_bake_time_the_canary_is_promoted_unless_auto_promote_is_off()
    {
        Assert.Equal(BakingB, RolloutEngine.Decide(s_byLabel, BakingB, B, 2, s_now.AddSeconds(59)));

        var promoted = RolloutEngine.Decide(s_byLabel, BakingB, B, 2, s_now.AddSeconds(60));
        Assert.Equal(RolloutState.Promoted, promoted.Phase);
        Assert.Equal(B, promoted.StableHash);
        Assert.Equal(s_now.AddSeconds(60), promoted.EndedAt);
        Assert.Equal(B, RolloutEngine.TargetOf(s_byLabel, promoted, Node("main")));
        Assert.Equal([B], promoted.ServedHashes);

        var manual = Policy(labels: new() { ["ring"] = "canary" }, autoPromote: false);
        Assert.Equal(BakingB, RolloutEngine.Decide(manual, BakingB, B, 2, s_now.AddDays(30)));
        Assert.Equal(B, RolloutEngine.Promote(BakingB, s_now, "by hand").StableHash);
    }

    [Fact]
    public void A_canary_that_refuses_the_canary_or_cannot_run_it_fails_it_and_nothing_else_does()
    {
        var refused = Node("canary", error: new NodeError("Kong said no", B));
        Assert.Contains("Kong said no", RolloutEngine.Failure(s_byLabel, BakingB, refused, s_compatible), StringComparison.Ordinal);

        var incompatible = new CompatibilityStatus(CompatibilityStatus.Incompatible,
            [new CompatibilityIssue(NodeCompatibility.PluginSetIncompatible, "error", "missing", "install", [])]);
        Assert.Contains(NodeCompatibility.PluginSetIncompatible, RolloutEngine.Failure(s_byLabel, BakingB, Node("canary"), incompatible), StringComparison.Ordinal);

        // An error about an older config, a stable node's error, or a rollout no longer baking fail nothing.
        Assert.Null(RolloutEngine.Failure(s_byLabel, BakingB, Node("canary", error: new NodeError("old", A)), s_compatible));
        Assert.Null(RolloutEngine.Failure(s_byLabel, BakingB, Node("main", error: new NodeError("no", B)), incompatible));
        Assert.Null(RolloutEngine.Failure(s_byLabel, RolloutEngine.Start(A, 1, s_now), refused, incompatible));

        var rolledBack = RolloutEngine.RollBack(BakingB, "canary failed", s_now);
        Assert.Equal((RolloutState.RolledBack, A, "canary failed"), (rolledBack.Phase, rolledBack.StableHash, rolledBack.Reason));
        Assert.Equal(A, RolloutEngine.TargetOf(s_byLabel, rolledBack, Node("canary")));
    }

    [Fact]
    public void A_rolled_back_or_aborted_canary_stays_off_until_a_newer_snapshot_which_bakes_from_the_stable_one()
    {
        foreach (var ended in new[] { RolloutEngine.RollBack(BakingB, "failed", s_now), RolloutEngine.Abort(BakingB, s_now) })
        {
            Assert.Equal(ended, RolloutEngine.Decide(s_byLabel, ended, B, 2, s_now.AddHours(1)));
            Assert.Equal([A], ended.ServedHashes);
            var next = RolloutEngine.Decide(s_byLabel, ended, C, 3, s_now.AddHours(1));
            Assert.Equal(new RolloutState(RolloutState.Baking, A, C, s_now.AddHours(1), null, null) { PointerVersion = 3 }, next);
        }
    }

    [Fact]
    public void A_newer_snapshot_replaces_a_baking_canary_and_one_back_at_stable_ends_the_bake()
    {
        var replaced = RolloutEngine.Decide(s_byLabel, BakingB, C, 3, s_now.AddSeconds(50));
        Assert.Equal(new RolloutState(RolloutState.Baking, A, C, s_now.AddSeconds(50), null, null) { PointerVersion = 3 }, replaced);
        // Its bake starts afresh: 60 s after the first canary began is not enough.
        Assert.True(RolloutEngine.Decide(s_byLabel, replaced, C, 3, s_now.AddSeconds(60)).IsBaking);

        var back = RolloutEngine.Decide(s_byLabel, BakingB, A, 4, s_now.AddSeconds(10));
        Assert.Equal((RolloutState.Aborted, A), (back.Phase, back.StableHash));
        Assert.Equal(A, RolloutEngine.TargetOf(s_byLabel, back, Node("canary")));
    }

    [Fact]
    public void A_pointer_older_than_the_newest_decided_on_aborts_nothing_and_brings_back_no_older_canary_but_the_bake_time_still_counts()
    {
        // Another instance still holds pointer 1 (hash A, the stable one) for up to a second.
        Assert.Equal(BakingB, RolloutEngine.Decide(s_byLabel, BakingB, A, 1, s_now.AddSeconds(1)));
        var replaced = RolloutEngine.Decide(s_byLabel, BakingB, C, 3, s_now.AddSeconds(1));
        Assert.Equal(replaced, RolloutEngine.Decide(s_byLabel, replaced, B, 2, s_now.AddSeconds(2)));
        var promoted = RolloutEngine.Decide(s_byLabel, replaced, A, 1, s_now.AddSeconds(61));
        Assert.Equal((RolloutState.Promoted, C, 3L), (promoted.Phase, promoted.StableHash, promoted.PointerVersion));
    }

    [Fact]
    public void Promote_and_abort_need_a_baking_canary()
    {
        var idle = RolloutEngine.Start(A, 1, s_now);
        Assert.Throws<ConflictException>(() => RolloutEngine.Promote(idle, s_now, "by hand"));
        Assert.Throws<ConflictException>(() => RolloutEngine.Abort(RolloutEngine.Abort(BakingB, s_now), s_now));
    }

    [Fact]
    public void Canaries_are_chosen_by_every_label_by_id_or_by_a_stable_share_of_node_ids()
    {
        var twoLabels = Policy(labels: new() { ["ring"] = "canary", ["region"] = "eu" });
        Assert.True(twoLabels.IsCanary(Node("canary")));
        Assert.False(Policy(labels: new() { ["ring"] = "canary", ["region"] = "us" }).IsCanary(Node("canary")));

        var chosen = Guid.NewGuid();
        Assert.True(Policy(ids: [chosen]).IsCanary(Node(id: chosen)));
        Assert.False(Policy(ids: [chosen]).IsCanary(Node()));

        var ids = Enumerable.Range(0, 2000).Select(_ => Guid.NewGuid()).ToList();
        var tenth = Policy(percentage: 10);
        var canaries = ids.Where(id => tenth.IsCanary(Node(id: id))).ToList();
        Assert.InRange(canaries.Count, 120, 280);
        // The same nodes every time, and a larger share takes every node a smaller one did.
        Assert.Equal(canaries, ids.Where(id => tenth.IsCanary(Node(id: id))));
        Assert.All(canaries, id => Assert.True(Policy(percentage: 50).IsCanary(Node(id: id))));
        Assert.All(ids, id => Assert.True(Policy(percentage: 100).IsCanary(Node(id: id))));
        Assert.DoesNotContain(ids, id => Policy(labels: new() { ["ring"] = "canary" }).IsCanary(Node(id: id)));
    }
}
