using System.Globalization;
using Azure.Data.Tables;
using Gatehouse.Core.Audit;

namespace Gatehouse.Azure.Audit;

/// <summary>
/// The layout of the audit table. Recorded entries live in one partition per UTC day, keyed so
/// that plain key order is newest first everywhere: the partition is the day subtracted from
/// 99999999, the row key the time subtracted from the largest tick count. Each entry has a row
/// <c>t|{time}|{id}</c> for listing by time, and, when it names a control plane, a second row
/// <c>p|{control plane}|{time}|{id}</c> so a control plane's entries are one key range of each day;
/// both are written in one transaction. Entries of changes begun and not yet recorded wait in the
/// partition <c>begun</c> (letters sort after every day). A third row per entry, <c>o|{listed}|{id}</c> with
/// ascending listing time, lists a day in the order entries were listed, as webhook delivery reads it.
/// </summary>
internal static class AuditRows
{
    public const string BegunPartition = "begun";

    /// <summary>On a begun row: when its process last said the change was still running (<see cref="IAuditLog.KeepBegunAsync"/>).</summary>
    public const string RunningAtProperty = "RunningAt";

    /// <summary>Every day partition sorts before this key, and <see cref="BegunPartition"/> after it.</summary>
    public const string AfterDays = "a";

    private const string TimeIndex = "t|";
    private const string ControlPlaneIndex = "p|";
    public const string OldestFirstIndex = "o|";

    public static string Day(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return (99_999_999 - ((utc.Year * 10_000) + (utc.Month * 100) + utc.Day)).ToString("D8", CultureInfo.InvariantCulture);
    }

    /// <summary>Descending time, then the id: the key every index of one entry ends with.</summary>
    public static string Suffix(DateTimeOffset time, Guid id) => Descending(time) + "|" + id.ToString("N");

    public static string Descending(DateTimeOffset time) => (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static string TimeKey(DateTimeOffset time, Guid id) => TimeIndex + Suffix(time, id);

    public static string ControlPlaneKey(Guid controlPlane, DateTimeOffset time, Guid id) => ControlPlanePrefix(controlPlane) + Suffix(time, id);

    public static string ControlPlanePrefix(Guid controlPlane) => ControlPlaneIndex + controlPlane.ToString("D") + "|";

    public static string IndexPrefix(Guid? controlPlane) => controlPlane is { } id ? ControlPlanePrefix(id) : TimeIndex;

    /// <summary>Ascending time, then the id: the delivery feed's key.</summary>
    public static string OldestFirstKey(DateTimeOffset time, Guid id) =>
        OldestFirstIndex + time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + id.ToString("N");

    /// <summary>Oldest first, for the sweeper.</summary>
    public static string BegunKey(AuditEntry entry) =>
        entry.Time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + entry.Id.ToString("N");

    /// <summary>
    /// The rows that list a recorded entry: by time newest first, by its control plane, and in the
    /// order of listing (in the day it was listed) for delivery.
    /// </summary>
    public static IEnumerable<TableEntity> Listed(AuditEntry entry, DateTimeOffset listed)
    {
        entry = entry with { Listed = listed };
        var day = Day(entry.Time);
        yield return Write(entry, day, TimeKey(entry.Time, entry.Id));
        yield return Write(entry, Day(listed), OldestFirstKey(listed, entry.Id));
        if (entry.ControlPlaneId is { } controlPlane)
        {
            yield return Write(entry, day, ControlPlaneKey(controlPlane, entry.Time, entry.Id));
        }
    }

    public static TableEntity Begun(AuditEntry entry) => Write(entry, BegunPartition, BegunKey(entry));

    /// <summary>An entry as a row anywhere else (a commit keeps one in its control plane's partition), with the same properties.</summary>
    public static TableEntity Write(AuditEntry entry, string partition, string row) => new(partition, row)
    {
        ["EntryId"] = entry.Id,
        ["Rt"] = entry.Time,
        ["PrincipalType"] = entry.Principal.Type,
        ["PrincipalId"] = entry.Principal.Id,
        ["PrincipalName"] = entry.Principal.Name,
        ["Action"] = entry.Action,
        ["ControlPlaneId"] = entry.ControlPlaneId?.ToString("D"),
        ["Method"] = entry.Method,
        ["Target"] = entry.Target,
        ["Status"] = entry.Status,
        ["RequestId"] = entry.RequestId,
        ["TraceId"] = entry.TraceId,
        ["SourceIp"] = entry.SourceIp,
        ["UserAgent"] = entry.UserAgent,
        ["Listed"] = entry.Listed,
    };

    public static AuditEntry Read(TableEntity row) => new(
        row.GetGuid("EntryId") ?? throw Corrupt(row, "EntryId"),
        row.GetDateTimeOffset("Rt") ?? throw Corrupt(row, "Rt"),
        new AuditPrincipal(row.GetString("PrincipalType") ?? "", row.GetString("PrincipalId"), row.GetString("PrincipalName") ?? ""),
        row.GetString("Action") ?? "",
        Guid.TryParse(row.GetString("ControlPlaneId"), out var controlPlane) ? controlPlane : null,
        row.GetString("Method") ?? "",
        row.GetString("Target") ?? "",
        row.GetInt32("Status"),
        row.GetString("RequestId") ?? "",
        row.GetString("TraceId") ?? "",
        row.GetString("SourceIp"),
        row.GetString("UserAgent"))
    {
        Listed = row.GetDateTimeOffset("Listed"),
    };

    private static InvalidDataException Corrupt(TableEntity row, string property) =>
        new($"Audit row {row.PartitionKey}/{row.RowKey} has no {property}.");
}
