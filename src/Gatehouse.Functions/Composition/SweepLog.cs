using Gatehouse.Core.Composition;

namespace Gatehouse.Functions.Composition;

/// <summary>What a sweep did, in the log: the same lines whether the local timer or the Functions host ran it.</summary>
internal static class SweepLog
{
    public static void Write(ILogger logger, SweepReport report)
    {
        if (report.Owed.Count > 0)
        {
            logger.LogInformation("Sweep found {Count} control planes owed a recomposition: {ControlPlaneIds}", report.Owed.Count, report.Owed);
        }
        foreach (var resumed in report.ResumedImports)
        {
            logger.LogWarning("Sweep finished a stalled import: {Outcome}", resumed);
        }
    }
}
