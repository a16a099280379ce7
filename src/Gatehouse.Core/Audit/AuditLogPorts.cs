namespace Gatehouse.Core.Audit;

/// <summary>
/// Where audit entries are kept. A change is written in two steps, so that no entry is lost if the
/// process stops between them: <see cref="BeginAsync"/> before the change runs (the outbox), then
/// <see cref="RecordAsync"/> with its answer, and <see cref="ForgetBegunAsync"/> once the answer is
/// sent (off the answer's path). An entry begun and never recorded is found by
/// <see cref="ListBegunAsync"/> and <see cref="ResolveAsync"/>d by the <see cref="AuditSweeper"/>.
/// </summary>
public interface IAuditLog
{
    /// <summary>Keeps the entry of a change about to run, before it runs; it is not listed until recorded or resolved.</summary>
    Task BeginAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Keeps the entry with its answer: from now on it is listed (at <see cref="AuditEntry.Listed"/>, or now).</summary>
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="BeginAsync"/> kept of a recorded entry; one left behind is removed by the sweeper.</summary>
    Task ForgetBegunAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Says that the change of a begun entry is still running, at <paramref name="at"/>: a change may
    /// run longer than <see cref="AuditSettings.InterruptedAfter"/> (a large import on slow storage),
    /// and its process says so while it runs, so that the sweeper does not take it for stopped.
    /// Nothing happens when the entry is no longer begun.
    /// </summary>
    Task KeepBegunAsync(AuditEntry entry, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Entries begun before <paramref name="before"/>, not recorded since, and not said to be still
    /// running since then (<see cref="KeepBegunAsync"/>), oldest first.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ListBegunAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Lists a begun entry as interrupted, unless it was recorded meanwhile (then the recorded one
    /// stands): either way it is no longer begun.
    /// </summary>
    Task ResolveAsync(AuditEntry begun, CancellationToken cancellationToken);

    /// <summary>Recorded entries newest first, filtered, a page at a time.</summary>
    Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Removes entries from before <paramref name="before"/> (at most <paramref name="max"/>); says how many.</summary>
    Task<int> TrimAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);
}

/// <summary>
/// A listing: every filter is optional. <see cref="After"/> is the <see cref="AuditPage.Next"/>
/// of the previous page.
/// </summary>
public sealed record AuditQuery(
    DateTimeOffset From, DateTimeOffset To, string? PrincipalId, Guid? ControlPlaneId, string? Action, int PageSize, AuditCursor? After);

/// <summary>Where a page ended: the time and id of its last entry.</summary>
public sealed record AuditCursor(DateTimeOffset Time, Guid Id);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, AuditCursor? Next);
