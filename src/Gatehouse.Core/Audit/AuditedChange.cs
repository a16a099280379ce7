using System.Collections.Concurrent;

namespace Gatehouse.Core.Audit;

/// <summary>
/// The audit entry of the change the current request is making, for the entity store's commits:
/// each names the entry's principal in its change log row (who made it, for version records), and,
/// where the route keeps the entry with the change (<see cref="KeepsEntry"/>, issue #16), writes the
/// entry itself in the same transaction, so a change is never without one and the request writes no
/// outbox row of its own before it runs. Set for the request's flow by the audit middleware; null
/// where no request is audited (the sweeper finishing an import, tests), where commits name no one.
/// </summary>
public sealed class AuditedChange
{
    private static readonly AsyncLocal<AuditedChange?> s_current = new();

    private readonly ConcurrentDictionary<Guid, bool> _keptIn = new();

    private AuditedChange(AuditEntry entry, bool keepsEntry) => (Entry, KeepsEntry) = (entry, keepsEntry);

    public static AuditedChange? Current => s_current.Value;

    /// <summary>Makes <paramref name="entry"/> the one the rest of this request's flow carries into its commits.</summary>
    /// <param name="entry">The request's entry, not yet answered.</param>
    /// <param name="keepsEntry">Commits keep the entry itself (else it is in the audit log's outbox already, and they only name its principal).</param>
    public static AuditedChange Begin(AuditEntry entry, bool keepsEntry)
    {
        var change = new AuditedChange(entry, keepsEntry);
        s_current.Value = change;
        return change;
    }

    /// <summary>The entry, not yet answered.</summary>
    public AuditEntry Entry { get; }

    /// <summary>Whether commits keep the entry itself, not only its principal's name.</summary>
    public bool KeepsEntry { get; }

    /// <summary>The control planes whose commits kept the entry: where it waits until the answer is recorded.</summary>
    public IReadOnlyCollection<Guid> KeptIn => [.. _keptIn.Keys];

    /// <summary>Called by the store once a commit that carries the entry has landed.</summary>
    public void Kept(Guid controlPlane) => _keptIn[controlPlane] = true;
}

/// <summary>
/// Where commits keep the entries they carry (<see cref="AuditedChange"/>) until the answer is
/// recorded: one row per entry in the control plane's own partition, written in the commit's
/// transaction. The <see cref="AuditSweeper"/> lists those a stopped process left behind.
/// </summary>
public interface IChangeAuditOutbox
{
    /// <summary>Entries kept in the control plane's commits that arrived before <paramref name="before"/> and were not forgotten since.</summary>
    Task<IReadOnlyList<AuditEntry>> ListKeptAsync(Guid controlPlane, DateTimeOffset before, int max, CancellationToken cancellationToken);

    /// <summary>Removes kept entries once they are recorded, in as few transactions as the partition allows (one already gone is no error).</summary>
    Task ForgetKeptAsync(Guid controlPlane, IReadOnlyCollection<Guid> entryIds, CancellationToken cancellationToken);
}
