using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Import;

namespace Gatehouse.Core.Tests.Import;

/// <summary>A control plane's entities, written through Kong's pipeline as the Admin API would, and files planned against them.</summary>
internal sealed class ExistingEntities
{
    public static EntityProcessor Processor { get; } = new(TimeProvider.System);

    private static readonly ImportPlanner s_planner = new(Processor);

    private readonly Dictionary<string, List<JsonObject>> _entities = [];

    public JsonObject Add(EntitySchema schema, string json)
    {
        var (entity, errors) = Processor.Prepare(schema, JsonNode.Parse(json)!.AsObject(), WriteMode.Insert);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        (_entities.TryGetValue(schema.Name, out var list) ? list : _entities[schema.Name] = []).Add(entity!);
        return entity!;
    }

    public EntitySnapshot Snapshot() => new(7, false, _entities.ToDictionary(p => p.Key, p => (IReadOnlyList<JsonObject>)p.Value));

    public ImportPlan Plan(string file) => s_planner.Plan(DeclarativeFile.Parse(JsonNode.Parse(file)!.AsObject()), Snapshot());

    public IReadOnlyList<ImportError> Refusal(string file) => Assert.Throws<ImportRejectedException>(() => Plan(file)).Errors;
}
