using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Core.Versions;

namespace Gatehouse.Azure.Composition;

/// <summary>
/// A version record as a row in the snapshots table, in its control plane's partition beside the
/// pointer, so one entity-group transaction writes both. Keyed by the inverted number, so a
/// partition's versions list newest first.
/// </summary>
internal static class VersionRow
{
    public const string KeyPrefix = "version|";

    public static string Key(long number) => KeyPrefix + (long.MaxValue - number).ToString("D19", CultureInfo.InvariantCulture);

    public static TableEntity Write(Guid controlPlane, ConfigVersion version) => new(controlPlane.ToString(), Key(version.Number))
    {
        ["Number"] = version.Number,
        ["Hash"] = version.Hash,
        ["Revision"] = version.Revision,
        ["CreatedAt"] = version.CreatedAt,
        ["Principal"] = version.Principal,
        ["Changes"] = JsonSerializer.Serialize(version.Changes.ToDictionary(c => c.Key, c => new[] { c.Value.Added, c.Value.Changed, c.Value.Removed })),
    };

    public static ConfigVersion Read(TableEntity row)
    {
        var changes = JsonSerializer.Deserialize<Dictionary<string, int[]>>(row.GetString("Changes") ?? "{}") ?? [];
        return new ConfigVersion(
            row.GetInt64("Number") ?? 0,
            row.GetString("Hash") ?? "",
            row.GetInt64("Revision") ?? 0,
            row.GetDateTimeOffset("CreatedAt") ?? default,
            row.GetString("Principal"),
            changes.Where(c => c.Value.Length == 3).ToDictionary(c => c.Key, c => new EntityChangeCounts(c.Value[0], c.Value[1], c.Value[2]), StringComparer.Ordinal));
    }
}
