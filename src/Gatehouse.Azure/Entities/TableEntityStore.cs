using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Gatehouse.Azure.Audit;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;

namespace Gatehouse.Azure.Entities;

/// <summary>
/// Kong entities in Table storage, one partition per control plane, so that an entity, its index
/// rows and the revision bump commit in one entity-group transaction:
/// <list type="bullet">
/// <item><c>rev</c>: the revision (the outbox of the recompose pipeline);</item>
/// <item><c>e|{collection}|{id}</c>: the entity's JSON;</item>
/// <item><c>u|{collection}|{field}|{value}</c>: a unique value, pointing at the id holding it;</item>
/// <item><c>f|{parent collection}|{parent id}|{collection}|{id}</c>: a foreign key, for nested lists and delete rules;</item>
/// <item><c>c|{revision}</c>: the change log (<see cref="EntityChangeLog"/>);</item>
/// <item><c>a|{entry id}</c>: the audit entry of a request whose commit landed, until its answer is recorded (<see cref="EntityAuditOutbox"/>).</item>
/// </list>
/// Every commit is conditional on the revision row's ETag, so concurrent writers to one control
/// plane serialize: the loser sees <see cref="CommitOutcome.Stale"/> and retries on fresh reads.
/// </summary>
public sealed class TableEntityStore(TableServiceClient tables, StorageLayout layout) : IEntityStore, IEntityReader, IEntityChangeReader, IChangeAuditOutbox
{
    // A string property holds at most 32 Ki UTF-16 units; larger bodies span several, up to the
    // 1 MiB a row holds (about 500 Ki characters of JSON).
    private const int ChunkLength = 30_000;

    // Row keys hold at most 512 characters; longer unique values are hashed (see UniqueKey).
    private const int MaxIndexedKeyLength = 400;

    // Children listed through their parent's index are point reads, made this many at a time.
    private const int ChildrenReadAtOnce = 32;

    private readonly TableClient _table = tables.GetTableClient(layout.EntitiesTable);

    private readonly SeenRevisions _seen = new();

    public async Task<Revision> GetRevisionAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), EntityPartition.RevisionKey, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var revision = row is { HasValue: true, Value: { } stored }
            ? new Revision(stored.GetInt64(EntityPartition.RevisionProperty) ?? 0, stored.ETag.ToString())
            {
                Deleted = stored.GetBoolean(EntityPartition.DeletedProperty) ?? false,
                Import = stored.GetString(EntityPartition.ImportIdProperty) is { } importId
                    ? new ImportProgress(importId, stored.GetInt32(EntityPartition.ImportNextBatchProperty) ?? 0,
                        stored.GetInt32(EntityPartition.ImportBatchesProperty) ?? 0, stored.GetDateTimeOffset("UpdatedAt") ?? stored.Timestamp ?? default)
                    : null,
            }
            : new Revision(0, null);
        _seen.Saw(controlPlane, revision);
        return revision;
    }

    public Revision? LastSeenRevision(Guid controlPlane) => _seen.Last(controlPlane);

    /// <summary>
    /// Every entity at one revision: the entities are read between two sightings of the revision
    /// row, and read again if a write landed in between. The first sighting is the last one this
    /// instance had (see <see cref="SeenRevisions"/>), so in the common case the read costs the
    /// entity query and one revision read, not two. When writes land during a second read too
    /// (they never pause, and the query takes longer than the time between them), the read is
    /// brought to one revision from the change log instead: an entity no commit since the first
    /// sighting named was read as it stood then and still stands, and each one named is read again
    /// by key at the revision the log ends at. Only when the log cannot say does it query again.
    /// </summary>
    public async Task<EntitySnapshot> ReadAllAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var before = _seen.Last(controlPlane) ?? await GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var entities = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
            await foreach (var row in QueryRange(controlPlane, "e|", null, cancellationToken).ConfigureAwait(false))
            {
                var collection = row.RowKey.Split('|')[1];
                (entities.TryGetValue(collection, out var list) ? list : entities[collection] = []).Add(ReadBody(row));
            }
            var after = await GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            if (before.Token == after.Token)
            {
                return new EntitySnapshot(after.Number, after.Deleted, entities.ToDictionary(p => p.Key, p => (IReadOnlyList<JsonObject>)p.Value))
                {
                    Importing = after.Import is not null,
                };
            }
            if (attempt > 0 && await ReadChangesAsync(controlPlane, before.Number, MaxChangesBroughtForward, cancellationToken).ConfigureAwait(false) is { } delta)
            {
                return BroughtForward(entities, delta);
            }
            if (attempt == 20)
            {
                throw new InvalidOperationException($"Control plane {controlPlane} changed during 20 consecutive reads.");
            }
            // What was seen after this pass is what the next pass starts from.
            before = after;
        }
    }

    /// <summary>More entities changed during a read than this, and querying again is the cheaper way to one revision.</summary>
    private const int MaxChangesBroughtForward = 5000;

    /// <summary>A read made while commits landed, with what those commits put and deleted applied: the entities at the delta's revision, by id.</summary>
    private static EntitySnapshot BroughtForward(Dictionary<string, List<JsonObject>> read, EntityDelta delta)
    {
        var byId = read.ToDictionary(p => p.Key, p => new SortedDictionary<string, JsonObject>(p.Value.ToDictionary(EntityIndexes.IdOf), StringComparer.Ordinal), StringComparer.Ordinal);
        delta.ApplyTo(byId);
        return new EntitySnapshot(delta.Revision, delta.Deleted,
            byId.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => (IReadOnlyList<JsonObject>)[.. p.Value.Values], StringComparer.Ordinal))
        {
            Importing = delta.Importing,
        };
    }

    /// <summary>
    /// The change log rows after <paramref name="after"/>, then the bodies of the entities they
    /// put. Each pass reads the revision, then each log row up to it, all by key: a range query
    /// would cost as much (and on Azurite, which scans the whole table for every query, it costs
    /// the table's size). A row carries the bodies its commit put unless they were too large; only
    /// the entities of one that did not are read, by key too. The read ends when every body it holds was
    /// written at or before the last log row read (each entity row carries the revision that wrote
    /// it), so each is as it stands at that revision: one revision's state, which writes landing
    /// meanwhile only prolong, never spoil. A log row that is missing (trimmed, or a commit from
    /// before the log existed) or a body the log cannot account for leaves the log unable to say.
    /// </summary>
    public async Task<EntityDelta?> ReadChangesAsync(Guid controlPlane, long after, int maxEntities, CancellationToken cancellationToken)
    {
        var changed = new Dictionary<(string Collection, string Id), (bool Put, JsonObject? Body, long? WrittenAt)>();
        var makers = new List<string>();
        var last = after;
        var importing = false;
        for (var pass = 0; pass < 50; pass++)
        {
            var revision = await GetRevisionAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            if (revision.Number < last || revision.Number - after > maxEntities)
            {
                // Behind what this reader holds (the partition was purged and begun again), or more commits than reading them one by one is worth.
                return null;
            }
            var rows = await Task.WhenAll(Enumerable.Range(0, (int)(revision.Number - last)).Select(i =>
                _table.GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), EntityChangeLog.Key(last + 1 + i), cancellationToken: cancellationToken)))
                .ConfigureAwait(false);
            // What each entity the rows name became, and the revision that made it so when the row carries its body.
            var named = new Dictionary<(string Collection, string Id), (bool Put, JsonObject? Body, long? At)>();
            foreach (var row in rows)
            {
                if (row is not { HasValue: true, Value: { } logRow })
                {
                    return null;
                }
                last++;
                importing = EntityChangeLog.Importing(logRow);
                if (EntityChangeLog.MadeBy(logRow) is { } maker && !makers.Contains(maker))
                {
                    makers.Add(maker);
                }
                foreach (var (collection, id, put, body) in EntityChangeLog.Read(logRow))
                {
                    named[(collection, id)] = (put, body, body is null ? null : last);
                }
            }
            if (changed.Keys.Union(named.Keys).Count() > maxEntities)
            {
                return null;
            }
            // Only a put whose row did not carry its body costs a read of the entity's row.
            var read = await Task.WhenAll(named.Select(async change => change.Value switch
            {
                { Put: true, Body: null } => (change.Key, Put: true, Row: await GetRowAsync(controlPlane, change.Key.Collection, change.Key.Id, cancellationToken).ConfigureAwait(false)),
                { Put: true } logged => (change.Key, Put: true, Row: (logged.Body, logged.At)),
                _ => (change.Key, Put: false, Row: (null, null)),
            })).ConfigureAwait(false);
            foreach (var (key, put, (body, writtenAt)) in read)
            {
                changed[key] = (put, body, writtenAt);
            }
            // A put whose row is gone, or was written after the last log row read, belongs to a later commit: read on.
            var later = changed.Values.Where(c => c.Put && (c.Body is null || c.WrittenAt is not { } at || at > last)).ToList();
            if (later.Count == 0)
            {
                return new EntityDelta(last, revision.Deleted, importing,
                    [.. changed.Select(c => new EntityDeltaItem(c.Key.Collection, c.Key.Id, c.Value.Put ? c.Value.Body : null))])
                {
                    MadeBy = makers,
                };
            }
            if (named.Count == 0 && later.Any(c => c.Body is not null && c.WrittenAt is null))
            {
                // A row that does not say which commit wrote it: written before the log existed.
                return null;
            }
        }
        // Writes that never pause, each to an entity just read: a full read settles it.
        return null;
    }

    /// <summary>An entity's body and the revision that wrote it (null for a row written before rows said so).</summary>
    private async Task<(JsonObject? Body, long? WrittenAt)> GetRowAsync(Guid controlPlane, string collection, string id, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), EntityKey(collection, id), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row is { HasValue: true, Value: { } entity } ? (ReadBody(entity), entity.GetInt64(EntityChangeLog.RevisionProperty)) : (null, null);
    }

    public async Task<IReadOnlyList<string>> ReadMakersAsync(Guid controlPlane, long after, long through, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {controlPlane.ToString()} and RowKey gt {EntityChangeLog.Key(after)} and RowKey le {EntityChangeLog.Key(through)}");
        var makers = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: [EntityChangeLog.MadeByProperty], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if (EntityChangeLog.MadeBy(row) is { } maker && !makers.Contains(maker))
            {
                makers.Add(maker);
            }
        }
        return makers;
    }

    public async Task<int> TrimChangesAsync(Guid controlPlane, long through, int limit, CancellationToken cancellationToken)
    {
        var partition = controlPlane.ToString();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {EntityChangeLog.Prefix} and RowKey le {EntityChangeLog.Key(through)}");
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: TableLimits.MaxTransactionActions, select: ["RowKey"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
            if (keys.Count == limit)
            {
                break;
            }
        }
        foreach (var batch in keys.Chunk(TableLimits.MaxTransactionActions))
        {
            // Log rows are written once and never changed, so an unconditional delete removes only what was read.
            await _table.SubmitTransactionAsync(batch.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All)),
                cancellationToken).ConfigureAwait(false);
        }
        return keys.Count;
    }

    public async Task<IReadOnlyList<AuditEntry>> ListKeptAsync(Guid controlPlane, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var kept = new List<AuditEntry>();
        await foreach (var row in QueryRange(controlPlane, EntityAuditOutbox.Prefix, null, cancellationToken).ConfigureAwait(false))
        {
            var entry = AuditRows.Read(row);
            if (entry.Time < before)
            {
                kept.Add(entry);
                if (kept.Count == max)
                {
                    break;
                }
            }
        }
        return kept;
    }

    public async Task ForgetKeptAsync(Guid controlPlane, IReadOnlyCollection<Guid> entryIds, CancellationToken cancellationToken)
    {
        var partition = controlPlane.ToString();
        foreach (var chunk in entryIds.Distinct().Chunk(TableLimits.MaxTransactionActions))
        {
            var left = chunk.ToList();
            while (left.Count > 0)
            {
                try
                {
                    await _table.SubmitTransactionAsync(
                        left.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, EntityAuditOutbox.Key(id)), ETag.All)),
                        cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is { } gone)
                {
                    // Removed already (by the sweep, say): the transaction deleted nothing, so again without it.
                    left.RemoveAt(gone);
                }
            }
        }
    }

    private async Task<JsonObject?> GetBodyAsync(Guid controlPlane, string collection, string id, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), EntityKey(collection, id), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row is { HasValue: true, Value: { } entity } ? ReadBody(entity) : null;
    }

    public Task<JsonObject?> GetAsync(Guid controlPlane, EntitySchema schema, string id, CancellationToken cancellationToken) =>
        GetBodyAsync(controlPlane, schema.Name, id, cancellationToken);

    public async Task<string?> FindUniqueAsync(Guid controlPlane, EntitySchema schema, string field, string value, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), UniqueKey(schema.Name, field, value), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row is { HasValue: true, Value: { } index } ? index.GetString("Id") : null;
    }

    public async Task<EntityPage> ListAsync(
        Guid controlPlane, EntitySchema schema, string? after, int limit, Func<JsonObject, bool> filter, CancellationToken cancellationToken)
    {
        var prefix = $"e|{schema.Name}|";
        var items = new List<JsonObject>();
        await foreach (var row in QueryRange(controlPlane, prefix, after, cancellationToken).ConfigureAwait(false))
        {
            var entity = ReadBody(row);
            if (!filter(entity))
            {
                continue;
            }
            if (items.Count == limit)
            {
                return new EntityPage(items, EntityIndexes.IdOf(items[^1]));
            }
            items.Add(entity);
        }
        return new EntityPage(items, null);
    }

    public async Task<EntityPage> ListChildrenAsync(
        Guid controlPlane, EntitySchema parent, string parentId, EntitySchema child, string? after, int limit,
        Func<JsonObject, bool> filter, CancellationToken cancellationToken)
    {
        var prefix = $"f|{parent.Name}|{parentId}|{child.Name}|";
        var items = new List<JsonObject>();
        var ids = new List<string>(ChildrenReadAtOnce);
        // The index names the children; each is its own point read, so a chunk of them is read side by side.
        async Task<bool> TakeAsync()
        {
            var read = await Task.WhenAll(ids.Select(id => GetAsync(controlPlane, child, id, cancellationToken))).ConfigureAwait(false);
            ids.Clear();
            foreach (var entity in read)
            {
                if (entity is null || !filter(entity))
                {
                    continue;
                }
                if (items.Count == limit)
                {
                    return true;
                }
                items.Add(entity);
            }
            return false;
        }
        await foreach (var row in QueryRange(controlPlane, prefix, after, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(row.RowKey[prefix.Length..]);
            if (ids.Count == ChildrenReadAtOnce && await TakeAsync().ConfigureAwait(false))
            {
                return new EntityPage(items, EntityIndexes.IdOf(items[^1]));
            }
        }
        return ids.Count > 0 && await TakeAsync().ConfigureAwait(false) ? new EntityPage(items, EntityIndexes.IdOf(items[^1])) : new EntityPage(items, null);
    }

    public async Task<CommitResult> CommitAsync(
        Guid controlPlane, Revision expected, IReadOnlyList<EntityChange> changes, CancellationToken cancellationToken, ImportProgress? import = null)
    {
        var partition = controlPlane.ToString();
        var actions = new List<TableTransactionAction>();
        var uniqueFieldOf = new Dictionary<int, string>();
        var assertions = new HashSet<int>();
        var touched = new HashSet<string>(StringComparer.Ordinal);

        void Add(TableTransactionActionType type, TableEntity row, string? uniqueField = null)
        {
            if (!touched.Add(row.RowKey))
            {
                throw new InvalidOperationException($"A commit touches {row.RowKey} twice.");
            }
            if (uniqueField is not null)
            {
                uniqueFieldOf[actions.Count] = uniqueField;
            }
            actions.Add(new TableTransactionAction(type, row));
        }

        foreach (var change in changes)
        {
            switch (change)
            {
                case EntityChange.Put put:
                    AddPut(partition, put, expected.Number + 1, Add);
                    break;
                case EntityChange.Delete delete:
                    AddDelete(partition, delete, Add);
                    break;
                case EntityChange.Exists exists when touched.Add(EntityKey(exists.Schema.Name, exists.Id)):
                    // A merge of no properties, on condition that the row is there: it changes only
                    // the row's timestamp, and fails the whole commit with 404 if the row is not.
                    assertions.Add(actions.Count);
                    actions.Add(new TableTransactionAction(
                        TableTransactionActionType.UpdateMerge, new TableEntity(partition, EntityKey(exists.Schema.Name, exists.Id)), ETag.All));
                    break;
            }
        }

        var next = expected.Number + 1;
        // The change log (issue #16): what this commit changed, under its revision, in the same
        // transaction. Its row is there already only if another commit took this revision: stale.
        var logIndex = actions.Count;
        var audited = AuditedChange.Current;
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
            EntityChangeLog.Row(partition, next, changes, importing: import is not null, madeBy: audited?.Entry.Principal.Name, maxLength: ChunkLength)));
        if (audited is { KeepsEntry: true })
        {
            // The request's audit entry, kept with its change: no change lands without one.
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, EntityAuditOutbox.Row(partition, audited.Entry)));
        }
        var updatedAt = DateTimeOffset.UtcNow;
        var revision = new TableEntity(partition, EntityPartition.RevisionKey) { [EntityPartition.RevisionProperty] = next, ["UpdatedAt"] = updatedAt };
        if (import is not null)
        {
            // Replacing the row drops these properties again with the commit that finishes the import.
            revision[EntityPartition.ImportIdProperty] = import.Id;
            revision[EntityPartition.ImportNextBatchProperty] = import.NextBatch;
            revision[EntityPartition.ImportBatchesProperty] = import.Batches;
        }
        actions.Add(expected.Token is null
            ? new TableTransactionAction(TableTransactionActionType.Add, revision)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, revision, new ETag(expected.Token)));

        try
        {
            var responses = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            if (audited is { KeepsEntry: true })
            {
                audited.Kept(controlPlane);
            }
            // The revision row's action is the last; its response carries the row's new ETag.
            _seen.Saw(controlPlane, new Revision(next, responses.Value[^1].Headers.ETag?.ToString())
            {
                Import = import is null ? null : import with { UpdatedAt = updatedAt },
            });
            return new CommitResult(CommitOutcome.Committed, next);
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == actions.Count - 1 || e.FailedTransactionActionIndex == logIndex
            || e.Status == 412)
        {
            return new CommitResult(CommitOutcome.Stale);
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is { } missing && assertions.Contains(missing)
            && e.Status == 404)
        {
            return new CommitResult(CommitOutcome.MissingReference);
        }
        catch (TableTransactionFailedException e) when (e.ErrorCode == TableErrorCode.EntityAlreadyExists
            && e.FailedTransactionActionIndex is { } index)
        {
            return uniqueFieldOf.TryGetValue(index, out var field)
                ? new CommitResult(CommitOutcome.UniqueViolation, Field: field)
                : new CommitResult(CommitOutcome.IdTaken);
        }
    }

    private static void AddPut(string partition, EntityChange.Put put, long revision, Action<TableTransactionActionType, TableEntity, string?> add)
    {
        var (schema, entity, previous) = (put.Schema, put.Entity, put.Previous);
        var id = EntityIndexes.IdOf(entity);
        var body = WriteBody(partition, schema.Name, id, entity);
        // The revision that wrote the row, so that a change log reader can tell a body of a later commit.
        body[EntityChangeLog.RevisionProperty] = revision;
        add(previous is null ? TableTransactionActionType.Add : TableTransactionActionType.UpsertReplace, body, null);

        var oldUnique = previous is null ? [] : EntityIndexes.UniqueValues(schema, previous).Select(u => UniqueKey(schema.Name, u.Field, u.Value)).ToHashSet();
        var newUnique = EntityIndexes.UniqueValues(schema, entity).ToList();
        foreach (var key in oldUnique.Except(newUnique.Select(u => UniqueKey(schema.Name, u.Field, u.Value))))
        {
            add(TableTransactionActionType.Delete, new TableEntity(partition, key), null);
        }
        foreach (var (field, value) in newUnique.Where(u => !oldUnique.Contains(UniqueKey(schema.Name, u.Field, u.Value))))
        {
            add(TableTransactionActionType.Add, new TableEntity(partition, UniqueKey(schema.Name, field, value)) { ["Id"] = id }, field);
        }

        var oldRefs = previous is null ? [] : EntityIndexes.References(schema, previous).Select(r => ForeignKey(r.Field.Reference!, r.ParentId, schema.Name, id)).ToHashSet();
        var newRefs = EntityIndexes.References(schema, entity).Select(r => ForeignKey(r.Field.Reference!, r.ParentId, schema.Name, id)).ToHashSet();
        foreach (var key in oldRefs.Except(newRefs))
        {
            add(TableTransactionActionType.Delete, new TableEntity(partition, key), null);
        }
        foreach (var key in newRefs.Except(oldRefs))
        {
            add(TableTransactionActionType.UpsertReplace, new TableEntity(partition, key), null);
        }
    }

    private static void AddDelete(string partition, EntityChange.Delete delete, Action<TableTransactionActionType, TableEntity, string?> add)
    {
        var (schema, entity) = (delete.Schema, delete.Entity);
        var id = EntityIndexes.IdOf(entity);
        add(TableTransactionActionType.Delete, new TableEntity(partition, EntityKey(schema.Name, id)), null);
        foreach (var (field, value) in EntityIndexes.UniqueValues(schema, entity))
        {
            add(TableTransactionActionType.Delete, new TableEntity(partition, UniqueKey(schema.Name, field, value)), null);
        }
        foreach (var (field, parentId) in EntityIndexes.References(schema, entity))
        {
            add(TableTransactionActionType.Delete, new TableEntity(partition, ForeignKey(field.Reference!, parentId, schema.Name, id)), null);
        }
    }

    private IAsyncEnumerable<TableEntity> QueryRange(Guid controlPlane, string prefix, string? after, CancellationToken cancellationToken)
    {
        var partition = controlPlane.ToString();
        var filter = after is null
            ? TableFilter.InPartitionStartingWith(partition, prefix)
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {prefix + after} and RowKey lt {TableFilter.UpperBound(prefix)}");
        return _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken);
    }

    private static TableEntity WriteBody(string partition, string collection, string id, JsonObject entity)
    {
        var row = new TableEntity(partition, EntityKey(collection, id));
        var json = entity.ToJsonString();
        for (int i = 0, chunk = 0; i < json.Length; i += ChunkLength, chunk++)
        {
            row[$"B{chunk}"] = json.Substring(i, Math.Min(ChunkLength, json.Length - i));
        }
        // Past 1 MiB the service refuses the whole transaction with an opaque 400 (and Azurite
        // stores it anyway); refusing here names the entity and writes nothing either way. It is
        // the caller's input that is too large, so it is refused as such (a 400), not as a fault.
        try
        {
            TableLimits.CheckEntity(row);
        }
        catch (ArgumentException e)
        {
            var message = $"The {collection} entity '{id}' is too large to store: its JSON is {json.Length:N0} characters, " +
                $"and one Table row holds at most {TableLimits.MaxEntityBytes:N0} bytes ({e.Message.Split(';')[0]}).";
            throw new EntityRejectedException(Rejection.Invalid, message, [FieldError.Entity(message)]);
        }
        return row;
    }

    private static JsonObject ReadBody(TableEntity row)
    {
        var json = new StringBuilder();
        for (var chunk = 0; row.GetString($"B{chunk}") is { } part; chunk++)
        {
            json.Append(part);
        }
        return JsonNode.Parse(json.ToString())!.AsObject();
    }

    private static string EntityKey(string collection, string id) => $"e|{collection}|{id}";

    private static string ForeignKey(string parentCollection, string parentId, string collection, string id) =>
        $"f|{parentCollection}|{parentId}|{collection}|{id}";

    /// <summary>
    /// Values too long for a row key are indexed by their SHA-256, which is just as unique. The
    /// marker "%h:" cannot come out of <see cref="TableKey.Escape"/>, which follows '%' with hex.
    /// </summary>
    private static string UniqueKey(string collection, string field, string value)
    {
        var key = $"u|{collection}|{field}|{TableKey.Escape(value)}";
        return key.Length <= MaxIndexedKeyLength
            ? key
            : $"u|{collection}|{field}|%h:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))}";
    }
}
