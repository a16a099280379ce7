using System.Collections.Concurrent;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Core.Rollouts;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Versions;

namespace Gatehouse.Functions.Rollouts;

/// <summary>
/// Staged rollouts (issue #14), between the API, the data plane API and the rollout store: reads a
/// control plane's rollout at most once per <see cref="MaxAge"/> (every pull and heartbeat asks),
/// lets <see cref="RolloutEngine"/> decide what it stands at now, and writes that decision by
/// version, deciding again from the newer record when another instance wrote first. Push goes to
/// the nodes whose target a change makes a config (<see cref="PushAsync"/>): a new canary to its
/// canaries alone; a rollout that ends to the whole control plane's group, told the hash every node
/// now runs (nodes that run it already ignore it).
/// </summary>
internal sealed class RolloutService(
    IRolloutStore store, INodeStore nodes, IDataPlaneNotifier notifier, RolloutCrashInjection crashes, TimeProvider clock, ILogger<RolloutService> logger)
    : IRolloutSnapshots
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private const int MaxAttempts = 8;
    private const int NodePage = 1000;

    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, StoredRollout? Rollout)> _recent = new();

    /// <summary>The control plane's rollout as it stands with <paramref name="pointer"/> the newest snapshot; null without a policy.</summary>
    public async Task<StoredRollout?> ObserveAsync(Guid controlPlane, SnapshotPointer pointer, CancellationToken ct) =>
        await ChangeAsync(controlPlane, fresh: false, r => RolloutEngine.Decide(r.Policy, r.State, pointer.Hash, pointer.VersionNumber, clock.GetUtcNow()), ct);

    /// <summary>Rolls back the canary <paramref name="canaryHash"/> if it is still baking.</summary>
    public async Task<StoredRollout?> RollBackAsync(Guid controlPlane, string canaryHash, string reason, CancellationToken ct) =>
        await ChangeAsync(controlPlane, fresh: true, r => r.State.IsBaking && r.State.CanaryHash == canaryHash
            ? RolloutEngine.RollBack(r.State, reason, clock.GetUtcNow())
            : r.State, ct);

    public async Task<StoredRollout> PromoteAsync(Guid controlPlane, SnapshotPointer pointer, CancellationToken ct) =>
        await ChangeAsync(controlPlane, fresh: true, r => RolloutEngine.Promote(Current(r, pointer), clock.GetUtcNow(), "promoted by an operator"), ct)
        ?? throw NoPolicy(controlPlane);

    public async Task<StoredRollout> AbortAsync(Guid controlPlane, SnapshotPointer pointer, CancellationToken ct) =>
        await ChangeAsync(controlPlane, fresh: true, r => RolloutEngine.Abort(Current(r, pointer), clock.GetUtcNow()), ct)
        ?? throw NoPolicy(controlPlane);

    /// <summary>
    /// Sets the policy. A control plane without one starts idle on its newest snapshot; one with one
    /// keeps where its rollout stands, and a baking canary is then served to the canaries the new policy picks.
    /// </summary>
    public async Task<StoredRollout> PutPolicyAsync(Guid controlPlane, RolloutPolicy policy, SnapshotPointer pointer, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.GetAsync(controlPlane, ct);
            var state = stored?.State ?? RolloutEngine.Start(pointer.Hash, pointer.VersionNumber, clock.GetUtcNow());
            if (await store.TryWriteAsync(controlPlane, policy, state, stored?.Version, ct) is { } version)
            {
                _recent.TryRemove(controlPlane, out _);
                var written = new StoredRollout(policy, state, version);
                if (state.IsBaking)
                {
                    // The new policy may pick other canaries: those it picks are told of the canary.
                    await PushAsync(controlPlane, written, state.CanaryHash!, ct);
                }
                return written;
            }
        }
        throw Contended(controlPlane);
    }

    public async Task<StoredRollout> GetAsync(Guid controlPlane, CancellationToken ct) =>
        await store.GetAsync(controlPlane, ct) ?? throw NoPolicy(controlPlane);

    /// <summary>Removes the policy: every node is served the newest snapshot, as without rollouts.</summary>
    public async Task DeletePolicyAsync(Guid controlPlane, SnapshotPointer pointer, CancellationToken ct)
    {
        var stored = await store.GetAsync(controlPlane, ct);
        if (stored is null || !await store.DeleteAsync(controlPlane, ct))
        {
            throw NoPolicy(controlPlane);
        }
        _recent.TryRemove(controlPlane, out _);
        if (stored.State.IsBaking || stored.State.StableHash != pointer.Hash)
        {
            await PushAsync(controlPlane, null, pointer.Hash, ct);
        }
    }

    public async Task<IReadOnlyCollection<string>> ServedHashesAsync(Guid controlPlane, CancellationToken cancellationToken) =>
        (await store.GetAsync(controlPlane, cancellationToken))?.State.ServedHashes ?? [];

    /// <summary>The rollout's state brought up to the newest snapshot, so that promote and abort act on the canary nodes are served.</summary>
    private RolloutState Current(StoredRollout rollout, SnapshotPointer pointer) =>
        RolloutEngine.Decide(rollout.Policy, rollout.State, pointer.Hash, pointer.VersionNumber, clock.GetUtcNow());

    private async Task<StoredRollout?> ChangeAsync(Guid controlPlane, bool fresh, Func<StoredRollout, RolloutState> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await ReadAsync(controlPlane, fresh || attempt > 0, ct);
            if (stored is null)
            {
                return null;
            }
            var next = change(stored);
            if (next == stored.State)
            {
                return stored;
            }
            crashes.Reached(controlPlane, next, RolloutStep.Decided);
            if (await store.TryWriteAsync(controlPlane, stored.Policy, next, stored.Version, ct) is { } version)
            {
                crashes.Reached(controlPlane, next, RolloutStep.Written);
                var written = new StoredRollout(stored.Policy, next, version);
                _recent[controlPlane] = (clock.GetUtcNow(), written);
                logger.LogInformation("Rollout of control plane {ControlPlaneId}: {Phase}, stable {StableHash}, canary {CanaryHash}{Reason}",
                    controlPlane, next.Phase, next.StableHash, next.CanaryHash ?? "(none)", next.Reason is { } reason ? $" ({reason})" : "");
                if (stored.State.IsBaking && !next.IsBaking)
                {
                    await PushAsync(controlPlane, written, next.StableHash, ct);
                }
                return written;
            }
        }
        throw Contended(controlPlane);
    }

    private async Task<StoredRollout?> ReadAsync(Guid controlPlane, bool fresh, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!fresh && _recent.TryGetValue(controlPlane, out var recent) && now - recent.At < MaxAge)
        {
            return recent.Rollout;
        }
        var stored = await store.GetAsync(controlPlane, ct);
        _recent[controlPlane] = (now, stored);
        return stored;
    }

    /// <summary>
    /// Tells the nodes whose target is now <paramref name="hash"/> (<paramref name="rollout"/> as it
    /// stands, null without a policy): every node when it is the stable config (those already on it
    /// ignore the push); only the canaries when it is a baking canary, since a node told of a config it
    /// is not served asks for it again and again until its push is stale; nobody when no node is
    /// served it (a canary rolled back). Push only hurries nodes along: their next poll brings them the same.
    /// </summary>
    public async Task PushAsync(Guid controlPlane, StoredRollout? rollout, string hash, CancellationToken ct)
    {
        try
        {
            if (rollout is null || rollout.State.StableHash == hash)
            {
                await notifier.NotifyAsync(controlPlane, hash, ct);
            }
            else if (rollout.State is { IsBaking: true, CanaryHash: { } canary } && canary == hash)
            {
                await notifier.NotifyNodesAsync(controlPlane, await CanariesAsync(controlPlane, rollout.Policy, ct), hash, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not push config {ConfigHash} of control plane {ControlPlaneId} after its rollout moved", hash, controlPlane);
        }
    }

    private async Task<List<Guid>> CanariesAsync(Guid controlPlane, RolloutPolicy policy, CancellationToken ct)
    {
        var canaries = new List<Guid>();
        Guid? after = null;
        while (true)
        {
            var (page, more) = await nodes.ListAsync(controlPlane, NodePage, after, ct);
            canaries.AddRange(page.Where(policy.IsCanary).Select(n => n.Id));
            if (!more || page.Count == 0)
            {
                return canaries;
            }
            after = page[^1].Id;
        }
    }

    private static NotFoundException NoPolicy(Guid controlPlane) => new($"Control plane {controlPlane} has no rollout policy.");

    private static ConflictException Contended(Guid controlPlane) =>
        new($"The rollout of control plane {controlPlane} changed too often while this request tried to change it; try again.");
}
