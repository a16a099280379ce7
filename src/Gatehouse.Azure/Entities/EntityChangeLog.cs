using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Gatehouse.Core.Entities;

namespace Gatehouse.Azure.Entities;

/// <summary>
/// The change log of a control plane's partition (issue #16): each commit adds one row,
/// <c>c|{revision}</c>, naming the entities it put or deleted (with the bodies it put, when they
/// are small), in the same transaction as the entities and the revision. A reader that holds the
/// entities at revision r brings them to the current revision by reading the rows after
/// <c>c|{r}</c>, and then only the entities whose bodies the rows did not carry.
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

    /// <summary>
    /// The row for one commit: <c>[["services","{id}",true,{…}], ["routes","{id}",false], …]</c>, true for a
    /// put, false for a delete. Each put carries the body it wrote while the row's JSON stays within
    /// <paramref name="maxLength"/> bytes of UTF-8 (so within one string property, which counts UTF-16
    /// units, never more than bytes), so that a reader brings itself forward from the log alone; a
    /// commit larger than that (an import's batch) names its puts only, and the reader reads those rows by key.
    /// </summary>
    public static TableEntity Row(string partition, long revision, IReadOnlyList<EntityChange> changes, bool importing, string? madeBy, int maxLength) =>
        new(partition, Key(revision))
        {
            [ChangesProperty] = Changes(changes, bodiesWithin: maxLength) ?? Changes(changes, bodiesWithin: null),
            [ImportingProperty] = importing,
            [MadeByProperty] = madeBy,
        };

    /// <summary>
    /// The changes as JSON; with <paramref name="bodiesWithin"/>, with the bodies put, or null as soon
    /// as they pass that many bytes (an import's batch of megabytes is not written out only to be dropped).
    /// </summary>
    private static string? Changes(IReadOnlyList<EntityChange> changes, int? bodiesWithin)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var change in changes)
            {
                var (schema, entity, put) = change switch
                {
                    EntityChange.Put p => (p.Schema, p.Entity, true),
                    EntityChange.Delete d => (d.Schema, d.Entity, false),
                    _ => default((EntitySchema?, JsonObject?, bool)),
                };
                if (schema is null || entity is null)
                {
                    continue;
                }
                writer.WriteStartArray();
                writer.WriteStringValue(schema.Name);
                writer.WriteStringValue(EntityIndexes.IdOf(entity));
                writer.WriteBooleanValue(put);
                if (put && bodiesWithin is { } limit)
                {
                    entity.WriteTo(writer);
                    if (writer.BytesCommitted + writer.BytesPending > limit)
                    {
                        return null;
                    }
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        return buffer.WrittenCount > bodiesWithin ? null : Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Who made the commit, as the audit log names them; null for a commit no request made (an import the sweeper finished).</summary>
    public static string? MadeBy(TableEntity row) => row.GetString(MadeByProperty);

    /// <summary>Whether an import was half applied once this commit landed (its marker stood on the revision).</summary>
    public static bool Importing(TableEntity row) => row.GetBoolean(ImportingProperty) ?? false;

    /// <summary>
    /// What a change log row says: each entity the commit put or deleted, in order, and for a put
    /// the body it wrote when the row carries it (null when the reader must read the entity's row).
    /// </summary>
    public static IEnumerable<(string Collection, string Id, bool Put, JsonObject? Body)> Read(TableEntity row)
    {
        using var document = JsonDocument.Parse(row.GetString(ChangesProperty) ?? "[]");
        return [.. document.RootElement.EnumerateArray().Select(c => (c[0].GetString()!, c[1].GetString()!, c[2].GetBoolean(),
            c.GetArrayLength() > 3 ? JsonObject.Create(c[3].Clone()) : null))];
    }
}
