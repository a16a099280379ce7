using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Import;

/// <summary>
/// A control plane's entities as an import leaves them: those it does not touch, then the file's
/// in the order they were planned. A unique value belongs to the first that holds it, so a later
/// entity of the file with the same value is the one refused. Answers from memory, at once.
/// </summary>
internal sealed class PlannedState : IFinalState
{
    private readonly Dictionary<(string Collection, string Id), JsonObject> _entities = [];
    private readonly Dictionary<(string Collection, string Field, string Value), string> _holders = [];
    private readonly Lazy<ILookup<(string Parent, string ParentId, string Child), JsonObject>> _children;

    public PlannedState(IEnumerable<(EntitySchema Schema, JsonObject Entity)> untouched, IEnumerable<(EntitySchema Schema, JsonObject Entity)> planned)
    {
        foreach (var (schema, entity) in untouched.Concat(planned))
        {
            var id = EntityIndexes.IdOf(entity);
            _entities[(schema.Name, id)] = entity;
            foreach (var (field, value) in EntityIndexes.UniqueValues(schema, entity))
            {
                _holders.TryAdd((schema.Name, field, value), id);
            }
        }
        // Built once, and only if a check asks: who points at whom.
        _children = new(() => _entities
            .SelectMany(e => EntityIndexes.References(KongSchemas.Find(e.Key.Collection)!, e.Value)
                .Select(r => (Key: (r.Field.Reference!, r.ParentId, e.Key.Collection), Child: e.Value)))
            .ToLookup(r => r.Key, r => r.Child));
    }

    public ValueTask<JsonObject?> GetAsync(EntitySchema schema, string id, CancellationToken cancellationToken) =>
        new(_entities.GetValueOrDefault((schema.Name, id)));

    public ValueTask<string?> FindUniqueAsync(EntitySchema schema, string field, string value, CancellationToken cancellationToken) =>
        new(_holders.GetValueOrDefault((schema.Name, field, value)));

    public ValueTask<IReadOnlyList<JsonObject>> ChildrenAsync(
        EntitySchema parent, string parentId, EntitySchema child, int limit, CancellationToken cancellationToken) =>
        new(_children.Value[(parent.Name, parentId, child.Name)].Take(limit).ToList());

    /// <summary>
    /// The outcome of a check against this state. Every lookup here completes at once, so the
    /// shared (asynchronous) checks have finished by the time they return.
    /// </summary>
    public static T Now<T>(ValueTask<T> check) =>
        check.IsCompleted ? check.GetAwaiter().GetResult() : throw new InvalidOperationException("A check against a planned state did not complete at once.");
}
