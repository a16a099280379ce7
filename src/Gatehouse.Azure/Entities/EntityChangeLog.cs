using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Core.Entities;

namespace Gatehouse.Azure.Entities;

/// <summary>
/// The change log of a control plane's partition (issue #16): each commit adds one row,
/// <c>c|{revision}</c>, naming the entities it put or deleted, in the same transaction as the
/// entities and the revision. A reader that holds the entities at revision r brings them to the
/// current revision by reading the rows after <c>c|{r}</c> and then only the entities they name.
/// </summary>
internal static class EntityChangeLog
{
    public const string Prefix = "c|";

    private const string ChangesProperty = "Changes";

    private const string ImportingProperty = "Importing";

    public const string MadeByProperty = "MadeBy";

    /// <summary>On each entity row: the revision of the commit that wrote it.</summary>
    public const string RevisionProperty = "Rev";

    /// <summary>Zero-padded, so that row keys sort as revisions do.</summary>
    public static string Key(long revision) => Prefix + revision.ToString("D19", CultureInfo.InvariantCulture);

    public static long RevisionOf(string rowKey) => long.Parse(rowKey.AsSpan(Prefix.Length), CultureInfo.InvariantCulture);

    /// <summary>The row for one commit: <c>[["services","{id}",true], …]</c>, true for a put, false for a delete.</summary>
    public static TableEntity Row(string partition, long revision, IReadOnlyList<EntityChange> changes, bool importing, string? madeBy)
    {
        var written = changes
            .Select(change => change switch
            {
                EntityChange.Put put => (put.Schema.Name, EntityIndexes.IdOf(put.Entity), true),
                EntityChange.Delete delete => (delete.Schema.Name, EntityIndexes.IdOf(delete.Entity), false),
                _ => default((string, string, bool)?),
            })
            .OfType<(string Collection, string Id, bool Put)>()
            .Select(c => new object[] { c.Collection, c.Id, c.Put });
        return new TableEntity(partition, Key(revision))
        {
            [ChangesProperty] = JsonSerializer.Serialize(written),
            [ImportingProperty] = importing,
            [MadeByProperty] = madeBy,
        };
    }

    /// <summary>Who made the commit, as the audit log names them; null for a commit no request made (an import the sweeper finished).</summary>
    public static string? MadeBy(TableEntity row) => row.GetString(MadeByProperty);

    /// <summary>Whether an import was half applied once this commit landed (its marker stood on the revision).</summary>
    public static bool Importing(TableEntity row) => row.GetBoolean(ImportingProperty) ?? false;

    /// <summary>What a change log row says: each entity the commit put or deleted, in order.</summary>
    public static IEnumerable<(string Collection, string Id, bool Put)> Read(TableEntity row)
    {
        using var document = JsonDocument.Parse(row.GetString(ChangesProperty) ?? "[]");
        return [.. document.RootElement.EnumerateArray().Select(c => (c[0].GetString()!, c[1].GetString()!, c[2].GetBoolean()))];
    }
}
