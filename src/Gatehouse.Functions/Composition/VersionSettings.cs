using Gatehouse.Core.Versions;
using Gatehouse.Functions.DataPlanes;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Retention of versions, under <c>Gatehouse__Versions__</c>: <c>Keep</c> (the last N, default 50)
/// and <c>KeepDays</c> (also those younger than this, default 0: none for their age alone), and
/// <c>GraceMinutes</c> (10: no snapshot blob younger than this is deleted, whatever names it). Nodes
/// seen within <c>Gatehouse__DataPlane__NodeRetentionHours</c> keep the snapshot they run.
/// </summary>
internal static class VersionSettings
{
    public static VersionRetentionSettings Read(IConfiguration configuration)
    {
        var keep = configuration.GetValue("Gatehouse:Versions:Keep", VersionRetentionSettings.Default.Keep);
        if (keep < 1)
        {
            throw new InvalidOperationException($"Gatehouse__Versions__Keep must be at least 1 (the current version is always kept); it is {keep}.");
        }
        var days = configuration.GetValue("Gatehouse:Versions:KeepDays", 0.0);
        if (!(days >= 0))
        {
            throw new InvalidOperationException($"Gatehouse__Versions__KeepDays must be zero or a positive number of days; it is {days}.");
        }
        var grace = configuration.GetValue("Gatehouse:Versions:GraceMinutes", VersionRetentionSettings.Default.Grace.TotalMinutes);
        if (!(grace >= 0))
        {
            throw new InvalidOperationException($"Gatehouse__Versions__GraceMinutes must be zero or a positive number of minutes; it is {grace}.");
        }
        return VersionRetentionSettings.Default with
        {
            Grace = TimeSpan.FromMinutes(grace),
            Keep = keep,
            KeepFor = TimeSpan.FromDays(days),
            NodesSeenWithin = DataPlaneSettings.Read(configuration).NodeRetention,
        };
    }
}
