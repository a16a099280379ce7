using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;

namespace Gatehouse.Core.Entities;

/// <summary>The entity a nested path is under: <c>/services/{key}/routes</c> scopes routes to that service.</summary>
public sealed record ParentScope(EntitySchema Schema, string Key, Field Field);

/// <summary>
/// Kong's Admin API semantics for the core entities of one control plane: create, read, replace,
/// update, delete and list, with Kong's constraints (unique values, foreign keys that must exist,
/// restrict and cascade on delete). Every write and read goes through the control plane's
/// revision (<see cref="RevisionGate"/>), so concurrent writers never lose an update or create a
/// duplicate, and no one reads an import half applied.
/// </summary>
public sealed class EntityService(IEntityStore store, IControlPlaneStore controlPlanes, EntityProcessor processor, IRecomposeQueue recompose)
{
    private readonly RevisionGate _revisions = new(store, controlPlanes, recompose);

    private readonly ChildNameSync _childNames = new(store, processor);

    // Rows per entity are 1 + unique values + foreign keys; 20 entities stay well under 100 rows.
    private const int DeletesPerCommit = 20;

    public async Task<JsonObject> CreateAsync(
        Guid controlPlane, EntitySchema schema, JsonObject body, ParentScope? scope, CancellationToken cancellationToken, WriteOptions? options = null)
    {
        var created = await _revisions.WriteAsync<JsonObject>(controlPlane, async round =>
        {
            var input = await ResolveReferencesAsync(controlPlane, schema, body, cancellationToken).ConfigureAwait(false);
            await ForceScopeAsync(controlPlane, input, scope, cancellationToken).ConfigureAwait(false);
            var entity = Process(await ValidatingAsync(controlPlane, schema, input, null, cancellationToken).ConfigureAwait(false), input, WriteMode.Insert, null, options);
            await CheckConstraintsAsync(controlPlane, schema, entity, round, cancellationToken).ConfigureAwait(false);
            return (entity, await ChangesAsync(controlPlane, schema, entity, null, input, WriteMode.Insert, round, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        return await AnsweredAsync(controlPlane, schema, created, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject> GetAsync(Guid controlPlane, EntitySchema schema, string key, ParentScope? scope, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return await _revisions.SettledReadAsync(controlPlane, async () =>
        {
            var entity = await FindAsync(controlPlane, schema, key, scope, cancellationToken).ConfigureAwait(false) ?? throw NotFound();
            return await PresentAsync(controlPlane, schema, entity, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Entities of one type by id, as GET shows each, in the order asked, read together (a few at a
    /// time) under one settled revision rather than one by one; one that is gone or expired is left out.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> GetManyAsync(Guid controlPlane, EntitySchema schema, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return await _revisions.SettledReadAsync(controlPlane, async () =>
        {
            var found = new JsonObject?[ids.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    if (await store.GetAsync(controlPlane, schema, ids[i], ct).ConfigureAwait(false) is { } entity)
                    {
                        found[i] = await ShownAsync(controlPlane, schema, entity, ct).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
            return (IReadOnlyList<JsonObject>)[.. found.OfType<JsonObject>()];
        }, cancellationToken).ConfigureAwait(false);
    }

    // Point reads in flight at once for GetManyAsync: enough to hide the store's latency, few enough to share it.
    private const int ReadsAtOnce = 16;

    /// <summary>PUT: creates the entity at that id or name, or replaces the one there whole.</summary>
    public async Task<JsonObject> UpsertAsync(
        Guid controlPlane, EntitySchema schema, string key, JsonObject body, ParentScope? scope, CancellationToken cancellationToken, WriteOptions? options = null)
    {
        var upserted = await _revisions.WriteAsync<JsonObject>(controlPlane, async round =>
        {
            var input = await ResolveReferencesAsync(controlPlane, schema, body, cancellationToken).ConfigureAwait(false);
            await ForceScopeAsync(controlPlane, input, scope, cancellationToken).ConfigureAwait(false);
            // A key unique only within its parent (a target's address, an ACL's group) names the one under the parent in the path.
            var existing = await FindAsync(controlPlane, schema, key, KeyedWithin(schema, key, scope) ? scope : null, cancellationToken).ConfigureAwait(false);
            if (Validators.IsUuid(key))
            {
                input["id"] = key.ToLowerInvariant();
            }
            else if (schema.EndpointKey is { } endpointKey)
            {
                // Kong: the name in the path wins over a name in the body.
                input[endpointKey] = key;
            }
            if (existing is not null)
            {
                input["id"] = existing["id"]!.DeepClone();
            }
            var entity = Process(await ValidatingAsync(controlPlane, schema, input, null, cancellationToken).ConfigureAwait(false), input, WriteMode.Upsert, null, options);
            await CheckConstraintsAsync(controlPlane, schema, entity, round, cancellationToken).ConfigureAwait(false);
            return (entity, await ChangesAsync(controlPlane, schema, entity, existing, input, WriteMode.Upsert, round, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        return await AnsweredAsync(controlPlane, schema, upserted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PATCH: merges into the existing entity (404 if there is none) and validates the result.</summary>
    public async Task<JsonObject> UpdateAsync(
        Guid controlPlane, EntitySchema schema, string key, JsonObject body, ParentScope? scope, CancellationToken cancellationToken)
    {
        var updated = await _revisions.WriteAsync<JsonObject>(controlPlane, async round =>
        {
            var existing = await FindAsync(controlPlane, schema, key, scope, cancellationToken).ConfigureAwait(false) ?? throw NotFound();
            var input = await ResolveReferencesAsync(controlPlane, schema, body, cancellationToken).ConfigureAwait(false);
            var entity = Process(await ValidatingAsync(controlPlane, schema, input, existing, cancellationToken).ConfigureAwait(false), input, WriteMode.Update, existing, null);
            await CheckConstraintsAsync(controlPlane, schema, entity, round, cancellationToken).ConfigureAwait(false);
            return (entity, await ChangesAsync(controlPlane, schema, entity, existing, input, WriteMode.Update, round, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        return await AnsweredAsync(controlPlane, schema, updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the entity and what Kong cascades to; refuses while restricting references remain.
    /// Deleting what is not there succeeds, as in Kong. A cascade too large for one transaction
    /// deletes the children in steps first, each step leaving no dangling reference.
    /// </summary>
    public async Task DeleteAsync(Guid controlPlane, EntitySchema schema, string key, ParentScope? scope, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        if (scope is not null)
        {
            _ = await ResolveParentAsync(controlPlane, scope, cancellationToken).ConfigureAwait(false);
        }
        while (true)
        {
            var done = await _revisions.WriteAsync<bool>(controlPlane, async () =>
            {
                var entity = await FindAsync(controlPlane, schema, key, scope, cancellationToken).ConfigureAwait(false);
                if (entity is null)
                {
                    return (true, []);
                }
                await CheckNotRestrictedAsync(controlPlane, schema, entity, cancellationToken).ConfigureAwait(false);
                var cascade = await CascadeAsync(controlPlane, schema, entity, DeletesPerCommit + 1, cancellationToken).ConfigureAwait(false);
                return cascade.Count <= DeletesPerCommit
                    ? (true, [.. cascade, new EntityChange.Delete(schema, entity)])
                    : (false, cascade.Take(DeletesPerCommit).ToList());
            }, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return;
            }
        }
    }

    public async Task<EntityPage> ListAsync(
        Guid controlPlane, EntitySchema schema, EntityListQuery query, ParentScope? scope, CancellationToken cancellationToken)
    {
        await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return await _revisions.SettledReadAsync(controlPlane, () => ListPageAsync(controlPlane, schema, query, scope, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<EntityPage> ListPageAsync(
        Guid controlPlane, EntitySchema schema, EntityListQuery query, ParentScope? scope, CancellationToken cancellationToken)
    {
        var now = processor.Now;
        bool Filter(JsonObject entity) => query.Matches(entity, NameField(schema)) && !TimeToLive.IsExpired(schema, entity, now);
        EntityPage page;
        if (scope is null)
        {
            page = await store.ListAsync(controlPlane, schema, query.After, query.Size, Filter, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var parent = await ResolveParentAsync(controlPlane, scope, cancellationToken).ConfigureAwait(false);
            page = await store.ListChildrenAsync(controlPlane, scope.Schema, EntityIndexes.IdOf(parent), schema, query.After, query.Size, Filter, cancellationToken)
                .ConfigureAwait(false);
        }
        if (schema.ChildNames is null && !schema.Ttl)
        {
            return page;
        }
        var decorated = new List<JsonObject>(page.Items.Count);
        foreach (var item in page.Items)
        {
            // One that expired since the page was read is left out, as a read after would.
            if (await ShownAsync(controlPlane, schema, item, cancellationToken).ConfigureAwait(false) is { } shown)
            {
                decorated.Add(shown);
            }
        }
        return page with { Items = decorated };
    }

    /// <summary>
    /// An entity as the Admin API shows it: with the names of its children (a certificate's snis),
    /// and a ttl as the seconds left. One that expired meanwhile is not found.
    /// </summary>
    private async Task<JsonObject> PresentAsync(Guid controlPlane, EntitySchema schema, JsonObject entity, CancellationToken cancellationToken) =>
        await ShownAsync(controlPlane, schema, entity, cancellationToken).ConfigureAwait(false) ?? throw NotFound();

    /// <summary>The entity a write made, as its answer shows it: never not found, though its time to live ran out meanwhile.</summary>
    private Task<JsonObject> AnsweredAsync(Guid controlPlane, EntitySchema schema, JsonObject entity, CancellationToken cancellationToken) =>
        _childNames.DecorateAsync(controlPlane, schema, TimeToLive.Answered(schema, entity, processor.Now), cancellationToken);

    /// <summary>The entity as the API shows it; null once its time to live has run out.</summary>
    private async Task<JsonObject?> ShownAsync(Guid controlPlane, EntitySchema schema, JsonObject entity, CancellationToken cancellationToken) =>
        TimeToLive.Present(schema, entity, processor.Now) is { } shown
            ? await _childNames.DecorateAsync(controlPlane, schema, shown, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Whether a non-UUID key names the entity by a value unique only under the parent in the path (its cache key holds both).</summary>
    private static bool KeyedWithin(EntitySchema schema, string key, ParentScope? scope) =>
        scope is not null && !Validators.IsUuid(key) && schema.EndpointKey is { } endpointKey
        && schema.CacheKey?.Contains(endpointKey) == true && schema.CacheKey.Contains(scope.Field.Name);

    /// <summary>The entity's own row, the children its name list (a certificate's snis) creates or deletes, and the parents the commit is to find.</summary>
    private async Task<IReadOnlyList<EntityChange>> ChangesAsync(
        Guid controlPlane, EntitySchema schema, JsonObject entity, JsonObject? existing, JsonObject input, WriteMode mode, WriteRound round,
        CancellationToken cancellationToken)
    {
        var children = await _childNames.ChangesAsync(controlPlane, schema, entity, input, mode, cancellationToken).ConfigureAwait(false);
        return [new EntityChange.Put(schema, entity, existing), .. children, .. round.Assertions(schema, entity)];
    }

    private static string? NameField(EntitySchema schema) => schema.Name == "plugins" ? "name" : schema.EndpointKey;

    /// <summary>The schema the write validates against: a plugin named for one of the control plane's custom schemas follows it.</summary>
    private Task<EntitySchema> ValidatingAsync(Guid controlPlane, EntitySchema schema, JsonObject input, JsonObject? existing, CancellationToken cancellationToken) =>
        CustomPluginLookup.ValidatingSchemaAsync(store, controlPlane, schema, input, existing, cancellationToken);

    private JsonObject Process(EntitySchema schema, JsonObject input, WriteMode mode, JsonObject? existing, WriteOptions? options)
    {
        var extra = schema.ChildNames is { } names ? new HashSet<string>(StringComparer.Ordinal) { names.Field } : null;
        var (entity, errors) = processor.Prepare(schema, input, mode, existing, extra, options ?? WriteOptions.AdminApi);
        return entity ?? throw ConstraintViolation.Schema(errors).ToException();
    }

    private async Task<JsonObject?> FindAsync(Guid controlPlane, EntitySchema schema, string key, ParentScope? scope, CancellationToken cancellationToken)
    {
        string? id = key;
        if (!Validators.IsUuid(key))
        {
            id = schema.EndpointKey switch
            {
                null => throw new EntityRejectedException(Rejection.Invalid, "invalid primary key", [new FieldError("id", "expected a valid UUID")]),
                // A target is unique only within its upstream: look it up by the (upstream, target) cache key.
                var endpointKey when KeyedWithin(schema, key, scope) =>
                    await FindByCacheKeyAsync(controlPlane, schema, endpointKey, key, scope!, cancellationToken).ConfigureAwait(false),
                var endpointKey => await store.FindUniqueAsync(controlPlane, schema, endpointKey, key, cancellationToken).ConfigureAwait(false),
            };
        }
        var entity = id is null ? null : await store.GetAsync(controlPlane, schema, id.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        if (entity is not null && scope is not null)
        {
            var parent = await ResolveParentAsync(controlPlane, scope, cancellationToken).ConfigureAwait(false);
            if (entity[scope.Field.Name]?["id"]?.GetValue<string>() != EntityIndexes.IdOf(parent))
            {
                return null;
            }
        }
        return entity;
    }

    private async Task<string?> FindByCacheKeyAsync(
        Guid controlPlane, EntitySchema schema, string endpointKey, string key, ParentScope scope, CancellationToken cancellationToken)
    {
        var parent = await ResolveParentAsync(controlPlane, scope, cancellationToken).ConfigureAwait(false);
        var probe = new JsonObject { [endpointKey] = key, [scope.Field.Name] = new JsonObject { ["id"] = EntityIndexes.IdOf(parent) } };
        schema.Normalize?.Invoke(probe);
        var cacheKey = EntityIndexes.CacheKeyValue(schema.CacheKey!, probe);
        return await store.FindUniqueAsync(controlPlane, schema, EntityIndexes.CacheKey, cacheKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> ResolveParentAsync(Guid controlPlane, ParentScope scope, CancellationToken cancellationToken) =>
        await FindAsync(controlPlane, scope.Schema, scope.Key, null, cancellationToken).ConfigureAwait(false) ?? throw NotFound();

    /// <summary>Nested writes point the foreign key at the parent in the path, whatever the body says.</summary>
    private async Task ForceScopeAsync(Guid controlPlane, JsonObject input, ParentScope? scope, CancellationToken cancellationToken)
    {
        if (scope is not null)
        {
            var parent = await ResolveParentAsync(controlPlane, scope, cancellationToken).ConfigureAwait(false);
            input[scope.Field.Name] = new JsonObject { ["id"] = EntityIndexes.IdOf(parent) };
        }
    }

    /// <summary>Kong lets a foreign key name its target by endpoint key (<c>{"name":"svc"}</c>); turn it into the id.</summary>
    private async Task<JsonObject> ResolveReferencesAsync(Guid controlPlane, EntitySchema schema, JsonObject body, CancellationToken cancellationToken)
    {
        var input = (JsonObject)body.DeepClone();
        foreach (var field in schema.ForeignKeys)
        {
            if (input[field.Name] is not JsonObject { Count: 1 } reference || reference.ContainsKey("id"))
            {
                continue;
            }
            var parent = KongSchemas.Find(field.Reference!)!;
            var (keyField, keyValue) = (reference.First().Key, reference.First().Value);
            if (keyField != parent.EndpointKey || keyValue?.GetValueKind() != JsonValueKind.String)
            {
                continue;
            }
            var id = await store.FindUniqueAsync(controlPlane, parent, keyField, keyValue.GetValue<string>(), cancellationToken).ConfigureAwait(false);
            if (id is null)
            {
                var message = ConstraintViolation.Unresolved(parent, keyField, keyValue.GetValue<string>());
                throw new EntityRejectedException(Rejection.Reference, $"foreign key unresolved ({field.Name}.{keyField}: {message})",
                    [new FieldError($"{field.Name}.{keyField}", message)]);
            }
            input[field.Name] = new JsonObject { ["id"] = id };
        }
        return input;
    }

    /// <summary>Kong's constraints against the stored entities (<see cref="FinalStateConstraints"/>); the first broken one is the answer.</summary>
    private async Task CheckConstraintsAsync(Guid controlPlane, EntitySchema schema, JsonObject entity, WriteRound round, CancellationToken cancellationToken)
    {
        var violations = await FinalStateConstraints.CheckWriteAsync(
            schema, entity, new StoredEntities(store, controlPlane), cancellationToken, byCommit: round.ByCommit).ConfigureAwait(false);
        if (violations.Count > 0)
        {
            throw violations[0].ToException();
        }
    }

    private async Task CheckNotRestrictedAsync(Guid controlPlane, EntitySchema schema, JsonObject entity, CancellationToken cancellationToken)
    {
        if (await FinalStateConstraints.CheckDeleteAsync(schema, entity, new StoredEntities(store, controlPlane), cancellationToken).ConfigureAwait(false) is { } violation)
        {
            throw violation.ToException();
        }
    }

    /// <summary>The deletes Kong cascades to, depth first, up to <paramref name="limit"/> of them.</summary>
    private async Task<List<EntityChange>> CascadeAsync(
        Guid controlPlane, EntitySchema schema, JsonObject entity, int limit, CancellationToken cancellationToken)
    {
        var deletes = new List<EntityChange>();
        foreach (var (child, _) in KongSchemas.ReferencesTo(schema).Where(r => r.Field.OnDelete == OnDelete.Cascade))
        {
            var page = await store.ListChildrenAsync(controlPlane, schema, EntityIndexes.IdOf(entity), child, null, limit, _ => true, cancellationToken)
                .ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                deletes.AddRange(await CascadeAsync(controlPlane, child, item, limit, cancellationToken).ConfigureAwait(false));
                deletes.Add(new EntityChange.Delete(child, item));
                if (deletes.Count >= limit)
                {
                    return deletes;
                }
            }
        }
        return deletes;
    }

    private static EntityRejectedException NotFound() => new(Rejection.NotFound, "Not found");
}
