using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Import;

/// <summary>
/// Where a multi-commit import keeps its batches until it has committed the last one, so that
/// whoever finds it stalled (its own process crashed) can finish it: written before the first
/// commit, read by a resumer, deleted after the last.
/// </summary>
public interface IImportJournal
{
    Task WriteAsync(Guid controlPlane, string importId, byte[] content, CancellationToken cancellationToken);

    /// <summary>The journal, or null when there is none.</summary>
    Task<byte[]?> ReadAsync(Guid controlPlane, string importId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid controlPlane, string importId, CancellationToken cancellationToken);
}

/// <summary>The journal's content: the batches, each change with its collection, entity and what it replaces.</summary>
public static class ImportJournalFormat
{
    public static byte[] Write(IReadOnlyList<IReadOnlyList<EntityChange>> batches)
    {
        var array = new JsonArray();
        foreach (var batch in batches)
        {
            var changes = new JsonArray();
            foreach (var change in batch)
            {
                changes.Add(change switch
                {
                    EntityChange.Put put => new JsonObject
                    {
                        ["op"] = "put",
                        ["collection"] = put.Schema.Name,
                        ["entity"] = put.Entity.DeepClone(),
                        ["previous"] = put.Previous?.DeepClone(),
                    },
                    EntityChange.Delete delete => new JsonObject
                    {
                        ["op"] = "delete",
                        ["collection"] = delete.Schema.Name,
                        ["entity"] = delete.Entity.DeepClone(),
                    },
                    _ => throw new ArgumentOutOfRangeException(nameof(batches)),
                });
            }
            array.Add(changes);
        }
        return System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["batches"] = array }.ToJsonString());
    }

    public static IReadOnlyList<IReadOnlyList<EntityChange>> Read(byte[] content)
    {
        var batches = new List<IReadOnlyList<EntityChange>>();
        foreach (var batch in JsonNode.Parse(content)!["batches"]!.AsArray())
        {
            batches.Add(batch!.AsArray().Select(node =>
            {
                var change = node!.AsObject();
                var schema = KongSchemas.Find(change["collection"]!.GetValue<string>())
                    ?? throw new InvalidDataException($"The import journal names an unknown collection {change["collection"]}.");
                var entity = change["entity"]!.AsObject().DeepClone().AsObject();
                return change["op"]!.GetValue<string>() == "delete"
                    ? (EntityChange)new EntityChange.Delete(schema, entity)
                    : new EntityChange.Put(schema, entity, change["previous"]?.AsObject().DeepClone().AsObject());
            }).ToList());
        }
        return batches;
    }
}
