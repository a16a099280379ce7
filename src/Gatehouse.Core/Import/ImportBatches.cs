using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Core.Import;

/// <summary>
/// Cuts an import's changes into commits the store can make atomically (an entity-group
/// transaction holds at most 100 rows, three of them the revision, its change log row and the request's
/// audit entry, and 4 MiB).
/// <para>
/// One commit when everything fits and no unique value moves from one entity to another within
/// it (a transaction cannot delete and add the same index row). Otherwise two phases: first
/// every delete — including, for an update whose unique values change, its old self — so that
/// every unique value the file moves is free; then every put. The states in between are not
/// configurations anyone may see: the import's marker on the revision hides them.
/// </para>
/// </summary>
public static class ImportBatches
{
    public const int MaxRowsPerCommit = 97;
    public const int MaxBytesPerCommit = 3_000_000;

    public static IReadOnlyList<IReadOnlyList<EntityChange>> Build(IReadOnlyList<PlannedChange> changes)
    {
        var direct = changes.Select(c => c.Action switch
        {
            ImportAction.Delete => (EntityChange)new EntityChange.Delete(c.Schema, c.Entity),
            _ => new EntityChange.Put(c.Schema, c.Entity, c.Previous),
        }).ToList();
        if (direct.Sum(Rows) <= MaxRowsPerCommit && direct.Sum(Bytes) <= MaxBytesPerCommit && !MovesUniqueValues(changes))
        {
            return [direct];
        }

        var deletes = new List<EntityChange>();
        var puts = new List<EntityChange>();
        foreach (var change in changes)
        {
            switch (change.Action)
            {
                case ImportAction.Delete:
                    deletes.Add(new EntityChange.Delete(change.Schema, change.Entity));
                    break;
                case ImportAction.Update when !UniqueKeys(change.Schema, change.Entity).SetEquals(UniqueKeys(change.Schema, change.Previous!)):
                    deletes.Add(new EntityChange.Delete(change.Schema, change.Previous!));
                    puts.Add(new EntityChange.Put(change.Schema, change.Entity, null));
                    break;
                default:
                    puts.Add(new EntityChange.Put(change.Schema, change.Entity, change.Previous));
                    break;
            }
        }
        return [.. Pack(deletes), .. Pack(puts)];
    }

    /// <summary>Rows a change writes: the entity's, and each index row that appears or goes.</summary>
    public static int Rows(EntityChange change) => change switch
    {
        EntityChange.Put { Previous: null } put => 1 + UniqueKeys(put.Schema, put.Entity).Count + References(put.Schema, put.Entity).Count,
        EntityChange.Put put => 1
            + Difference(UniqueKeys(put.Schema, put.Entity), UniqueKeys(put.Schema, put.Previous!))
            + Difference(References(put.Schema, put.Entity), References(put.Schema, put.Previous!)),
        EntityChange.Delete delete => 1 + UniqueKeys(delete.Schema, delete.Entity).Count + References(delete.Schema, delete.Entity).Count,
        _ => throw new ArgumentOutOfRangeException(nameof(change)),
    };

    private static int Bytes(EntityChange change) => change switch
    {
        EntityChange.Put put => Encoding.UTF8.GetByteCount(put.Entity.ToJsonString()) + 512,
        _ => 512,
    };

    /// <summary>Whether a unique value some entity gives up is taken by another in the same import.</summary>
    private static bool MovesUniqueValues(IReadOnlyList<PlannedChange> changes)
    {
        var released = new HashSet<(string, string, string)>();
        var taken = new HashSet<(string, string, string)>();
        foreach (var change in changes)
        {
            var now = change.Action == ImportAction.Delete ? [] : UniqueKeys(change.Schema, change.Entity);
            var before = change.Action == ImportAction.Delete ? UniqueKeys(change.Schema, change.Entity)
                : change.Previous is null ? [] : UniqueKeys(change.Schema, change.Previous);
            released.UnionWith(before.Except(now));
            taken.UnionWith(now.Except(before));
        }
        return released.Overlaps(taken);
    }

    private static List<IReadOnlyList<EntityChange>> Pack(List<EntityChange> changes)
    {
        var batches = new List<IReadOnlyList<EntityChange>>();
        var batch = new List<EntityChange>();
        int rows = 0, bytes = 0;
        foreach (var change in changes)
        {
            var (r, b) = (Rows(change), Bytes(change));
            if (batch.Count > 0 && (rows + r > MaxRowsPerCommit || bytes + b > MaxBytesPerCommit))
            {
                batches.Add(batch);
                (batch, rows, bytes) = ([], 0, 0);
            }
            batch.Add(change);
            rows += r;
            bytes += b;
        }
        if (batch.Count > 0)
        {
            batches.Add(batch);
        }
        return batches;
    }

    private static HashSet<(string, string, string)> UniqueKeys(EntitySchema schema, JsonObject entity) =>
        EntityIndexes.UniqueValues(schema, entity).Select(u => (schema.Name, u.Field, u.Value)).ToHashSet();

    private static HashSet<(string, string)> References(EntitySchema schema, JsonObject entity) =>
        EntityIndexes.References(schema, entity).Select(r => (r.Field.Reference!, r.ParentId)).ToHashSet();

    private static int Difference<T>(HashSet<T> a, HashSet<T> b) => a.Count(x => !b.Contains(x)) + b.Count(x => !a.Contains(x));
}
