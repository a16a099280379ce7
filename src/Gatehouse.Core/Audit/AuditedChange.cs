using System.Collections.Concurrent;

namespace Gatehouse.Core.Audit;

/// <summary>
/// The audit entry of the change the current request is making, for the entity store to keep in
/// the change's own commit (issue #16): a commit that lands carries its entry, so a change is never
/// without one, and the request writes no outbox row of its own before it runs. Set for the request's
/// flow by the audit middleware on routes whose changes go through that commit; null elsewhere (the
/// sweeper finishing an import, tests), where commits carry none.
/// </summary>
public sealed class AuditedChange
{
    private static readonly AsyncLocal<AuditedChange?> s_current = new();

    private readonly ConcurrentDictionary<Guid, bool> _keptIn = new();

    private AuditedChange(AuditEntry entry) => Entry = entry;

    public static AuditedChange? Current => s_current.Value;

    /// <summary>Makes <paramref name="entry"/> the one the rest of this request's flow carries into its commits.</summary>
    public static AuditedChange Begin(AuditEntry entry)
    {
        var change = new AuditedChange(entry);
        s_current.Value = change;
        return change;
    }

    /// <summary>The entry, not yet answered.</summary>
    public AuditEntry Entry { get; }

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

    /// <summary>Removes a kept entry once it is recorded (one already gone is no error).</summary>
    Task ForgetKeptAsync(Guid controlPlane, Guid entryId, CancellationToken cancellationToken);
}
