using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Import;

/// <summary>
/// decK's <c>sync</c>, planned without I/O: given a declarative file and a control plane's
/// entities, what to create, update and delete so that the entities the file manages are
/// exactly the file's. The file manages every entity, or with <c>_info.select_tags</c> only those
/// carrying all of those tags (and every entity in the file gets them).
/// <list type="bullet">
/// <item>An entity in the file is the existing one with its id, or without an id the one with its
/// natural key: a unique value such as a name, or Kong's cache key (a plugin's name and scopes,
/// a target in its upstream), or for a certificate its cert and key.</item>
/// <item>References name their target by id or by its endpoint key (a service's name, a consumer's
/// username), in the file first, then among the entities the file does not manage.</item>
/// <item>Every entity is validated as the Admin API validates it, then the result as a whole:
/// unique values, references, and what deleting leaves behind. Every problem is reported, with
/// the entity's place in the file; nothing is planned unless there are none.</item>
/// </list>
/// </summary>
public sealed class ImportPlanner(EntityProcessor processor)
{
    public ImportPlan Plan(DeclarativeFile file, EntitySnapshot current) => new Planning(processor, file, current).Run();

    private sealed class Planning(EntityProcessor processor, DeclarativeFile file, EntitySnapshot current)
    {
        // A file's ttl is the Unix time a credential expires; its passwords are hashed unless it says they are already.
        private readonly WriteOptions _options = WriteOptions.Declarative with { Transform = file.Transform };

        private readonly Dictionary<(string Collection, string Id), JsonObject> _existing = [];
        private readonly HashSet<(string Collection, string Id)> _managed = [];

        // Lookups by unique value or endpoint key: (collection, field, value) → id.
        private readonly Dictionary<(string, string, string), string> _managedKeys = [];
        private readonly Dictionary<(string, string, string), string> _unmanagedKeys = [];
        private readonly Dictionary<(string, string, string), string> _fileKeys = [];

        private readonly Dictionary<(string Collection, string Id), (FileEntity Source, JsonObject Entity)> _target = [];
        private readonly Dictionary<FileEntity, string> _ids = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<FileEntity, List<FieldError>> _errors = new(ReferenceEqualityComparer.Instance);
        private readonly List<FileEntity> _unfileable = [];
        private readonly List<PlannedChange> _changes = [];
        private int _unchanged;

        private IReadOnlyDictionary<string, PluginSchema>? _customSchemas;

        /// <summary>The control plane's custom plugin schema of that name, from the entities the import reads; null for none or one no longer read.</summary>
        private PluginSchema? CustomSchema(string name)
        {
            _customSchemas ??= CustomPluginSchemas.ByName(current.Entities.GetValueOrDefault(CustomPluginSchemas.Schema.Name) ?? []);
            return PluginSchemas.IsBundled(name) ? null : _customSchemas.GetValueOrDefault(name);
        }

        public ImportPlan Run()
        {
            IndexExisting();
            // Each collection after everything it references.
            foreach (var schema in KongSchemas.InDependencyOrder)
            {
                foreach (var entity in file.Entities.Where(e => e.Schema.Name == schema.Name))
                {
                    PlanEntity(entity);
                }
            }
            var deletes = PlanDeletes();
            CheckFinalState(deletes);
            if (_errors.Count > 0)
            {
                // In file order; deletions the file cannot make come last.
                throw new ImportRejectedException(file.Entities.Where(_errors.ContainsKey).Concat(_unfileable).Select(ErrorOf).ToList());
            }
            _changes.AddRange(deletes.Select(d => new PlannedChange(ImportAction.Delete, d.Schema, d.Entity, null, [])));
            return new ImportPlan(_changes, _unchanged, current.Revision);
        }

        private void IndexExisting()
        {
            foreach (var schema in KongSchemas.InDependencyOrder)
            {
                foreach (var entity in current.Entities.GetValueOrDefault(schema.Name) ?? [])
                {
                    var id = EntityIndexes.IdOf(entity);
                    _existing[(schema.Name, id)] = entity;
                    var managed = IsManaged(schema, entity);
                    if (managed)
                    {
                        _managed.Add((schema.Name, id));
                    }
                    foreach (var key in KeysOf(schema, entity))
                    {
                        (managed ? _managedKeys : _unmanagedKeys)[key] = id;
                    }
                }
            }
        }

        /// <summary>Whether the file speaks for this entity: all of it, or what carries every select tag.</summary>
        private bool IsManaged(EntitySchema schema, JsonObject entity)
        {
            if (file.SelectTags.Count == 0)
            {
                return true;
            }
            if (schema.Find("tags") is null)
            {
                // A membership belongs to whoever manages its group.
                return schema.ForeignKeys.FirstOrDefault() is { } owner && entity[owner.Name]?["id"]?.GetValue<string>() is { } ownerId
                    && _managed.Contains((owner.Reference!, ownerId));
            }
            return HasTags(entity, file.SelectTags);
        }

        private void PlanEntity(FileEntity source)
        {
            var schema = source.Schema;
            if (source.Parent is not null && !_ids.ContainsKey(source.Parent))
            {
                // Its parent failed, and says why; the child adds nothing but noise.
                return;
            }
            var input = (JsonObject)source.Body.DeepClone();
            var errors = new List<FieldError>();
            ResolveReferences(source, input, errors);
            if (file.SelectTags.Count > 0 && schema.Find("tags") is not null && input["tags"] is null or JsonArray)
            {
                var tags = (input["tags"] as JsonArray)?.Select(t => t?.DeepClone()).ToList() ?? [];
                foreach (var tag in file.SelectTags.Where(t => !tags.Any(existing => EntityChecks.Text(existing) == t)))
                {
                    tags.Add(JsonValue.Create(tag));
                }
                input["tags"] = new JsonArray([.. tags]);
            }
            if (errors.Count > 0)
            {
                Fail(source, errors);
                return;
            }

            var givenId = input["id"] is not null;
            // A plugin named for one of the control plane's custom schemas validates against it.
            var validating = schema == Plugins.Schema ? Plugins.For(input, null, CustomSchema) : schema;
            var (entity, invalid) = processor.Prepare(validating, input, WriteMode.Insert, options: _options);
            if (entity is null)
            {
                Fail(source, invalid);
                return;
            }
            var id = EntityIndexes.IdOf(entity);
            if (!givenId && MatchExisting(schema, entity) is { } match)
            {
                id = match;
                entity["id"] = id;
            }
            if (schema == ConsumerGroups.Membership && KeysOf(schema, entity).Any(_fileKeys.ContainsKey))
            {
                // The same membership from both sides (a consumer's groups and a group's consumers).
                return;
            }
            if (_target.TryGetValue((schema.Name, id), out var twin))
            {
                Fail(source, [FieldError.Entity($"duplicate {schema.Singular}: the same one is at {twin.Source.Path}")]);
                return;
            }
            if (_existing.ContainsKey((schema.Name, id)) && !_managed.Contains((schema.Name, id)))
            {
                Fail(source, [new FieldError("id", $"this {schema.Singular} exists and is not managed by this file (it lacks the select_tags)")]);
                return;
            }

            _ids[source] = id;
            _target[(schema.Name, id)] = (source, entity);
            foreach (var key in KeysOf(schema, entity))
            {
                _fileKeys.TryAdd(key, id);
            }
            var existing = _existing.GetValueOrDefault((schema.Name, id));
            if (existing is not null)
            {
                KeepGenerated(validating.Fields, entity, input, existing);
            }
            Diff(schema, entity, existing);
        }

        private void Diff(EntitySchema schema, JsonObject entity, JsonObject? existing)
        {
            if (existing is null)
            {
                _changes.Add(new PlannedChange(ImportAction.Create, schema, entity, null, []));
                return;
            }
            // An entity the file keeps keeps its creation time.
            entity["created_at"] = existing["created_at"]?.DeepClone();
            var changed = schema.Fields
                .Where(f => f.Name is not ("created_at" or "updated_at") && !JsonNode.DeepEquals(entity[f.Name], existing[f.Name]))
                .Select(f => f.Name)
                .ToList();
            if (changed.Count == 0)
            {
                _unchanged++;
                _target[(schema.Name, EntityIndexes.IdOf(entity))] = (_target[(schema.Name, EntityIndexes.IdOf(entity))].Source, existing);
                return;
            }
            _changes.Add(new PlannedChange(ImportAction.Update, schema, entity, existing, changed));
        }

        /// <summary>
        /// A value Gatehouse generates (a credential's secret, a session plugin's secret) that the
        /// file leaves out stays the stored one: otherwise each sync of the same file would rotate it.
        /// </summary>
        private static void KeepGenerated(IReadOnlyList<Field> fields, JsonObject entity, JsonObject? given, JsonObject existing)
        {
            foreach (var field in fields)
            {
                var stated = given?[field.Name];
                if (field.Generate is not null && stated is null && existing[field.Name] is { } stored)
                {
                    entity[field.Name] = stored.DeepClone();
                }
                else if (field is { Type: FieldType.Record, Fields: { } nested } && entity[field.Name] is JsonObject inner
                    && existing[field.Name] is JsonObject storedInner && stated is null or JsonObject)
                {
                    KeepGenerated(nested, inner, stated as JsonObject, storedInner);
                }
            }
        }

        /// <summary>The managed entity the file means when it gives no id: same natural key, or for certificates the same content.</summary>
        private string? MatchExisting(EntitySchema schema, JsonObject entity)
        {
            foreach (var key in KeysOf(schema, entity))
            {
                if (_managedKeys.TryGetValue(key, out var id) && !_target.ContainsKey((schema.Name, id)))
                {
                    return id;
                }
            }
            if (schema.UniqueFields.Any() || schema.CacheKey is not null)
            {
                return null;
            }
            var required = schema.Fields.Where(f => f.Required && f.Name != "id").Select(f => f.Name).ToList();
            return _managed
                .Where(k => k.Collection == schema.Name && !_target.ContainsKey(k))
                .Select(k => _existing[k])
                .FirstOrDefault(e => required.All(name => JsonNode.DeepEquals(e[name], entity[name])))
                is { } same ? EntityIndexes.IdOf(same) : null;
        }

        /// <summary>Turns each foreign key into <c>{"id"}</c>: the entity it is nested in, or what it names.</summary>
        private void ResolveReferences(FileEntity source, JsonObject input, List<FieldError> errors)
        {
            foreach (var field in source.Schema.ForeignKeys)
            {
                var parentSchema = KongSchemas.Find(field.Reference!)!;
                var nestedIn = source.ParentField == field.Name ? _ids[source.Parent!] : null;
                if (input[field.Name] is not { } reference)
                {
                    if (nestedIn is not null)
                    {
                        input[field.Name] = new JsonObject { ["id"] = nestedIn };
                    }
                    continue;
                }
                var (id, error) = Resolve(parentSchema, reference);
                if (error is not null)
                {
                    errors.Add(new FieldError(field.Name, error));
                }
                else if (nestedIn is not null && id != nestedIn)
                {
                    errors.Add(new FieldError(field.Name, $"does not match the {parentSchema.Singular} this is nested in"));
                }
                else
                {
                    input[field.Name] = new JsonObject { ["id"] = id };
                }
            }
        }

        /// <summary>
        /// A reference by id (a string or <c>{"id"}</c>), or by a unique key (a string for the endpoint
        /// key, or <c>{"username": …}</c>). An object may give several, as decK writes a consumer's
        /// <c>groups: [{id, name}]</c> or a group's <c>consumers: [{username, custom_id}]</c>: the id wins,
        /// else the first that resolves, and none may name another entity.
        /// </summary>
        private (string? Id, string? Error) Resolve(EntitySchema schema, JsonNode reference)
        {
            var keys = new List<(string Field, string Value)>();
            switch (reference)
            {
                case JsonValue when EntityChecks.Text(reference) is { } text && (Validators.IsUuid(text) || schema.EndpointKey is not null):
                    keys.Add(Validators.IsUuid(text) ? ("id", text) : (schema.EndpointKey!, text));
                    break;
                case JsonObject given:
                    keys.AddRange(given
                        .Where(p => p.Key == "id" || p.Key == schema.EndpointKey || schema.Find(p.Key)?.Unique == true)
                        .Select(p => (p.Key, EntityChecks.Text(p.Value)))
                        .Where(k => k.Item2 is not null)
                        .OrderBy(k => k.Key == "id" ? 0 : k.Key == schema.EndpointKey ? 1 : 2)
                        .Select(k => (k.Key, k.Item2!)));
                    break;
            }
            if (keys.Count == 0)
            {
                var ways = schema.EndpointKey is null ? "its id" : $"its id or {schema.EndpointKey}";
                return (null, $"expected a reference to a {schema.Singular} by {ways}");
            }
            string? id = null;
            (string Field, string Value) by = default;
            string? unresolved = null;
            foreach (var (field, value) in keys)
            {
                // Whether an id exists once the import is done is for the final state's check to say.
                var (found, error) = field == "id" ? (value.ToLowerInvariant(), null) : FindByKey(schema, field, value);
                if (found is null)
                {
                    unresolved ??= error;
                    continue;
                }
                if (id is not null && found != id)
                {
                    return (null, $"{by.Field} '{by.Value}' and {field} '{value}' name different {schema.Name.Replace('_', ' ')}");
                }
                if (id is null)
                {
                    (id, by) = (found, (field, value));
                }
            }
            return id is null ? (null, unresolved) : (id, null);
        }

        /// <summary>
        /// The entity with that unique value: in the file, else among the entities it does not manage,
        /// and there only those carrying the file's <c>default_lookup_tags</c> for their collection.
        /// </summary>
        private (string? Id, string? Error) FindByKey(EntitySchema schema, string field, string value)
        {
            var key = (schema.Name, field, value);
            if (_fileKeys.TryGetValue(key, out var id))
            {
                return (id, null);
            }
            if (!_unmanagedKeys.TryGetValue(key, out id))
            {
                return (null, ConstraintViolation.Unresolved(schema, field, value));
            }
            if (file.Info.LookupTags.GetValueOrDefault(schema.Name) is { } lookupTags && !HasTags(_existing[(schema.Name, id)], lookupTags))
            {
                return (null, $"{ConstraintViolation.Unresolved(schema, field, value)} among the {schema.Name.Replace('_', ' ')} tagged " +
                    $"{string.Join(", ", lookupTags)} (_info.default_lookup_tags); the one that exists lacks those tags");
            }
            return (id, null);
        }

        private static bool HasTags(JsonObject entity, IReadOnlyList<string> tags)
        {
            var has = (entity["tags"] as JsonArray)?.Select(EntityChecks.Text).ToHashSet(StringComparer.Ordinal) ?? [];
            return tags.All(has.Contains);
        }

        /// <summary>Managed entities the file leaves out, and what Kong cascades to from them among the unmanaged.</summary>
        private List<(EntitySchema Schema, JsonObject Entity)> PlanDeletes()
        {
            var deletes = new List<(EntitySchema, JsonObject)>();
            var gone = new HashSet<(string, string)>();
            var queue = new Queue<(EntitySchema, JsonObject)>();
            foreach (var schema in KongSchemas.InDependencyOrder.Reverse())
            {
                foreach (var key in _managed.Where(k => k.Collection == schema.Name && !_target.ContainsKey(k)).Order())
                {
                    queue.Enqueue((schema, _existing[key]));
                    gone.Add(key);
                }
            }
            // Who points at whom, among the entities the file leaves alone: built once, not scanned per delete.
            var dependents = _existing
                .Where(e => !_target.ContainsKey(e.Key))
                .SelectMany(e => EntityIndexes.References(KongSchemas.Find(e.Key.Collection)!, e.Value)
                    .Where(r => r.Field.OnDelete == OnDelete.Cascade)
                    .Select(r => (Parent: (r.Field.Reference!, r.ParentId), Child: e.Key)))
                .ToLookup(p => p.Parent, p => p.Child);
            while (queue.TryDequeue(out var next))
            {
                deletes.Add(next);
                var (schema, entity) = next;
                foreach (var child in dependents[(schema.Name, EntityIndexes.IdOf(entity))])
                {
                    if (gone.Add(child))
                    {
                        queue.Enqueue((KongSchemas.Find(child.Collection)!, _existing[child]));
                    }
                }
            }
            return deletes;
        }

        /// <summary>The result as a whole, by Kong's constraints (<see cref="FinalStateConstraints"/>): each entity of the file, and each delete.</summary>
        private void CheckFinalState(List<(EntitySchema Schema, JsonObject Entity)> deletes)
        {
            var deleted = deletes.Select(d => (d.Schema.Name, EntityIndexes.IdOf(d.Entity))).ToHashSet();
            var untouched = _existing.Where(e => !_target.ContainsKey(e.Key) && !deleted.Contains(e.Key));
            var state = new PlannedState(
                untouched.Select(e => (KongSchemas.Find(e.Key.Collection)!, e.Value)),
                _target.Select(t => (KongSchemas.Find(t.Key.Collection)!, t.Value.Entity)));
            foreach (var ((collection, _), (source, entity)) in _target)
            {
                foreach (var violation in PlannedState.Now(FinalStateConstraints.CheckWriteAsync(KongSchemas.Find(collection)!, entity, state, CancellationToken.None)))
                {
                    Fail(source, violation.Errors);
                }
            }
            foreach (var (schema, entity) in deletes)
            {
                if (PlannedState.Now(FinalStateConstraints.CheckDeleteAsync(schema, entity, state, CancellationToken.None)) is { } violation)
                {
                    FailDelete(schema, entity, violation.Message);
                }
            }
        }

        /// <summary>(collection, field, value) for every unique value, the cache key, and the endpoint key.</summary>
        private static IEnumerable<(string, string, string)> KeysOf(EntitySchema schema, JsonObject entity)
        {
            foreach (var (field, value) in EntityIndexes.UniqueValues(schema, entity))
            {
                yield return (schema.Name, field, value);
            }
            if (schema.EndpointKey is { } endpointKey && schema.Find(endpointKey)?.Unique != true && EntityChecks.Text(entity[endpointKey]) is { } name)
            {
                yield return (schema.Name, endpointKey, name);
            }
        }

        private void Fail(FileEntity source, IReadOnlyList<FieldError> errors)
        {
            if (!_errors.TryGetValue(source, out var list))
            {
                _errors[source] = list = [];
            }
            list.AddRange(errors);
        }

        /// <summary>A delete the file asks for but cannot have, reported as an entity of its own.</summary>
        private void FailDelete(EntitySchema schema, JsonObject entity, string message)
        {
            var name = NameOf(schema, entity) ?? EntityIndexes.IdOf(entity);
            var source = new FileEntity(schema, $"(deleted) {schema.Name}/{name}", entity);
            _unfileable.Add(source);
            Fail(source, [FieldError.Entity(message)]);
        }

        private ImportError ErrorOf(FileEntity source) =>
            new(source.Schema.Singular, source.Path, NameOf(source.Schema, source.Body), EntityChecks.Text(source.Body["id"]), _errors[source]);

        private static string? NameOf(EntitySchema schema, JsonObject entity) =>
            EntityChecks.Text(entity[schema.EndpointKey ?? "name"]) ?? EntityChecks.Text(entity["name"]);
    }
}
