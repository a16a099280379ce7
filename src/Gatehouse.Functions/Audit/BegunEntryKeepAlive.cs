using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// While a change whose entry was begun runs, says so to the log three times per
/// <see cref="AuditSettings.InterruptedAfter"/> (<see cref="IAuditLog.KeepBegunAsync"/>): the sweeper
/// takes an entry begun longer ago than that for one whose process stopped, and a large import on
/// slow storage can run longer. Without it, such an import was listed as interrupted while it ran,
/// and delivered twice: interrupted, then with its answer. Two words may be lost before it is.
/// </summary>
internal sealed class BegunEntryKeepAlive : IAsyncDisposable
{
    /// <summary>A day at most between words: a timer cannot wait past 49 days, and the period is a setting (in seconds, up to 68 years).</summary>
    private static readonly TimeSpan s_longest = TimeSpan.FromDays(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _saying;

    private BegunEntryKeepAlive(IAuditLog log, AuditEntry entry, TimeSpan period, TimeProvider clock, ILogger logger) =>
        _saying = SayAsync(log, entry, period, clock, logger);

    public static BegunEntryKeepAlive Start(IAuditLog log, AuditEntry entry, AuditSettings settings, TimeProvider clock, ILogger logger) =>
        new(log, entry, settings.InterruptedAfter / 3 < s_longest ? settings.InterruptedAfter / 3 : s_longest, clock, logger);

    private async Task SayAsync(IAuditLog log, AuditEntry entry, TimeSpan period, TimeProvider clock, ILogger logger)
    {
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await log.KeepBegunAsync(entry, clock.GetUtcNow(), _stop.Token);
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Could not say that the change of audit entry {EntryId} ({Method} {Path}) is still running; " +
                        "if it runs past the interruption period unsaid, the audit sweep lists it as interrupted", entry.Id, entry.Method, entry.Target);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _saying;
        _stop.Dispose();
    }
}
