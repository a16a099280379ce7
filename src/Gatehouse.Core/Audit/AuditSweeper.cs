using System.Collections.Concurrent;
using Gatehouse.Core.ControlPlanes;

namespace Gatehouse.Core.Audit;

/// <summary>
/// Keeps the audit log whole and bounded: lists the changes whose process stopped before it
/// recorded their answer (so none is lost) — those begun in the log's outbox, and those kept in a
/// control plane's commits — and removes entries older than the retention.
/// Each control plane's kept entries are looked for once per <see cref="AuditSettings.InterruptedAfter"/>,
/// not on every sweep: none can be listed sooner than that after its request, and each look is a
/// query, which Azurite answers by filtering the whole entities table. Looking at all 257 control
/// planes of `group-latency` every minute held its writes up for seconds (bench/README.md). A
/// control plane is looked at when first seen (what a stopped process left is found at once), then
/// at times its id spreads over the period, so that a sweep more frequent than the period takes a
/// share of them. An interrupted entry is so listed within twice the period of its request. The
/// Functions timer sweeps every 5 minutes, the period's default, so there each sweep still looks at all.
/// </summary>
public sealed class AuditSweeper(IAuditLog log, IChangeAuditOutbox kept, IControlPlaneStore controlPlanes, AuditSettings settings, TimeProvider clock)
{
    // Per sweep, so a backlog is worked off over several sweeps, not in one.
    private const int PerSweep = 1000;

    // When each control plane is next looked at for kept entries.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _nextLook = new();

    public async Task<AuditSweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stoppedBefore = now - settings.InterruptedAfter;
        var begun = await log.ListBegunAsync(stoppedBefore, PerSweep, cancellationToken).ConfigureAwait(false);
        foreach (var entry in begun)
        {
            await log.ResolveAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        var resolved = begun.Count;
        var listed = await controlPlanes.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var gone in _nextLook.Keys.Except(listed.Select(c => c.Id)).ToList())
        {
            _nextLook.TryRemove(gone, out _);
        }
        foreach (var controlPlane in listed)
        {
            var firstSeen = !_nextLook.TryGetValue(controlPlane.Id, out var due);
            if (controlPlane.IsGroup || (!firstSeen && now < due))
            {
                continue;
            }
            var found = await kept.ListKeptAsync(controlPlane.Id, stoppedBefore, PerSweep, cancellationToken).ConfigureAwait(false);
            foreach (var entry in found)
            {
                // The commit landed, so the change did; only its answer is not known.
                await log.ResolveAsync(entry, cancellationToken).ConfigureAwait(false);
                resolved++;
            }
            if (found.Count > 0)
            {
                await kept.ForgetKeptAsync(controlPlane.Id, [.. found.Select(e => e.Id)], cancellationToken).ConfigureAwait(false);
            }
            // A backlog is worked on by the next sweep; otherwise the next look is a period away (after
            // the first, a share of one: the looks of control planes first seen together spread out).
            _nextLook[controlPlane.Id] = found.Count == PerSweep ? now
                : now + (firstSeen ? settings.InterruptedAfter * Spread(controlPlane.Id) : settings.InterruptedAfter);
        }
        var trimmed = await log.TrimAsync(now - settings.Retention, PerSweep, cancellationToken).ConfigureAwait(false);
        return new AuditSweepReport(resolved, trimmed);
    }

    /// <summary>A share of the period in (0, 1], the same for a control plane in every process.</summary>
    private static double Spread(Guid controlPlane) =>
        (BitConverter.ToUInt16(controlPlane.ToByteArray(), 0) + 1) / 65536.0;
}

public sealed record AuditSweepReport(int Resolved, int Trimmed);
