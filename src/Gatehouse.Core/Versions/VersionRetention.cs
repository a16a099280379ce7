using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Core.Versions;

/// <summary>
/// How many versions to keep: the last <paramref name="Keep"/>, and any younger than
/// <paramref name="KeepFor"/> (zero: none kept for their age alone). A snapshot blob younger than
/// <paramref name="Grace"/> is never deleted, whatever names it: a recomposition may be about to point
/// at it. Nodes heard from within <paramref name="NodesSeenWithin"/> keep the snapshot they run.
/// </summary>
public sealed record VersionRetentionSettings(int Keep, TimeSpan KeepFor, TimeSpan Grace, TimeSpan NodesSeenWithin)
{
    public static VersionRetentionSettings Default { get; } = new(50, TimeSpan.Zero, TimeSpan.FromMinutes(10), TimeSpan.FromHours(24));
}

/// <summary>
/// The snapshots staged rollouts still serve, which retention keeps. Rollouts do not exist yet:
/// <see cref="NoRollouts"/> serves none; the rollout feature registers its own.
/// </summary>
public interface IRolloutSnapshots
{
    Task<IReadOnlyCollection<string>> ServedHashesAsync(Guid controlPlane, CancellationToken cancellationToken);
}

public sealed class NoRollouts : IRolloutSnapshots
{
    public Task<IReadOnlyCollection<string>> ServedHashesAsync(Guid controlPlane, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>([]);
}

/// <summary>What one control plane's retention sweep removed.</summary>
public sealed record RetentionOutcome(int VersionsDeleted, int SnapshotsDeleted);

/// <summary>
/// The sweeper's retention step for one control plane: deletes the version records retention does
/// not keep, then every snapshot blob (with its compressed copies) that no kept version, pointer,
/// rollout or recently seen node names. Records go first, so a crash leaves at worst blobs that the
/// next sweep finds unnamed and deletes, never a record whose document is gone.
/// <para>
/// A recomposition may reuse an old snapshot (a restore composes a hash seen before) while this
/// runs. The blobs are listed before anything that names them is read; a blob the listing saw is
/// deleted only if it is older than <see cref="VersionRetentionSettings.Grace"/> and unchanged since
/// the listing, and a recomposition that finds its snapshot already stored touches it before moving
/// the pointer. So either the touch comes first (and the blob is too young, or its ETag moved), or the
/// pointer read here already names it.
/// </para>
/// </summary>
public sealed class VersionRetention(
    ISnapshotStore snapshots, IConfigVersionStore versions, INodeStore nodes, IRolloutSnapshots rollouts,
    VersionRetentionSettings settings, TimeProvider clock)
{
    private const int PageSize = 1000;

    public VersionRetentionSettings Settings => settings;

    public async Task<RetentionOutcome> SweepAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var stored = await versions.ListSnapshotsAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var served = await ServedAsync(controlPlane, now, cancellationToken).ConfigureAwait(false);

        var records = new List<ConfigVersion>();
        long? before = null;
        while (true)
        {
            var (page, more) = await versions.ListVersionsAsync(controlPlane, PageSize, before, cancellationToken).ConfigureAwait(false);
            records.AddRange(page);
            if (!more || page.Count == 0)
            {
                break;
            }
            before = page[^1].Number;
        }
        var kept = records.Where((record, newest) => newest < settings.Keep || now - record.CreatedAt < settings.KeepFor || served.Contains(record.Hash)).ToList();
        var dropped = records.Except(kept).Select(r => r.Number).ToList();
        if (dropped.Count > 0)
        {
            await versions.DeleteVersionsAsync(controlPlane, dropped, cancellationToken).ConfigureAwait(false);
        }

        var named = kept.Select(r => r.Hash).Concat(served).ToHashSet(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var snapshot in stored.Where(s => !named.Contains(s.Hash) && now - s.LastModified > settings.Grace))
        {
            if (await versions.DeleteSnapshotAsync(controlPlane, snapshot, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }
        return new RetentionOutcome(dropped.Count, deleted);
    }

    /// <summary>What is served now: the pointer's snapshot, a rollout's, and whatever a node heard from lately runs.</summary>
    private async Task<HashSet<string>> ServedAsync(Guid controlPlane, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var served = new HashSet<string>(StringComparer.Ordinal);
        if (await snapshots.GetPointerAsync(controlPlane, cancellationToken).ConfigureAwait(false) is { } pointer)
        {
            served.Add(pointer.Hash);
        }
        served.UnionWith(await rollouts.ServedHashesAsync(controlPlane, cancellationToken).ConfigureAwait(false));
        Guid? after = null;
        while (true)
        {
            var (page, more) = await nodes.ListAsync(controlPlane, PageSize, after, cancellationToken).ConfigureAwait(false);
            served.UnionWith(page.Where(n => now - n.LastPing <= settings.NodesSeenWithin && n.ConfigHash.Length > 0).Select(n => n.ConfigHash));
            if (!more || page.Count == 0)
            {
                return served;
            }
            after = page[^1].Id;
        }
    }
}
