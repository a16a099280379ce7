using Gatehouse.Core.Audit;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// Resilience testing: with <c>Gatehouse:Audit:CrashAfter</c> set to an action
/// (<c>core-entities.services.create</c>), the process dies the moment such a change has succeeded
/// (it committed) and before its audit entry is recorded, as a crash or a scale-in would
/// take it. Unset (always, in production) it does nothing.
/// </summary>
internal static class AuditCrashInjection
{
    public static void Crash(ILogger logger, AuditEntry entry)
    {
        logger.LogCritical("Crashing on purpose after {Action} answered {Status} (Gatehouse:Audit:CrashAfter)", entry.Action, entry.Status);
        // The console logger writes from a queue that exit does not drain: say it directly too.
        Console.Error.WriteLine($"Crashing on purpose after {entry.Action} answered {entry.Status} (Gatehouse:Audit:CrashAfter)");
        Console.Error.Flush();
        Environment.Exit(CrashInjection.ExitCode);
    }
}
