namespace Gatehouse.Core.Audit;

/// <summary>
/// How long entries are kept (<c>Gatehouse__Audit__RetentionDays</c>, 7 as Konnect keeps them), and
/// how long a begun change may go unrecorded before the sweeper takes its process for dead
/// (<c>Gatehouse__Audit__InterruptedAfterSeconds</c>): longer than any request runs.
/// </summary>
public sealed record AuditSettings(int RetentionDays, TimeSpan InterruptedAfter)
{
    public const int DefaultRetentionDays = 7;

    public static readonly TimeSpan DefaultInterruptedAfter = TimeSpan.FromMinutes(5);

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}
