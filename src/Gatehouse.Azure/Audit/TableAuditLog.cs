using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Audit.Delivery;

namespace Gatehouse.Azure.Audit;

/// <summary>
/// The audit log in Table storage (layout: <see cref="AuditRows"/>). Listing by time, and by
/// control plane, is one key-range query across the days asked for, already in newest-first order;
/// the principal and action filters are applied by the service within that range. Trimming deletes
/// whole days' rows older than the retention.
/// </summary>
public sealed class TableAuditLog(TableServiceClient tables, StorageLayout layout, TimeProvider? clock = null) : IAuditLog, IAuditFeed
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private readonly TableClient _table = tables.GetTableClient(layout.AuditTable);

    // The table is made on first use, not at start: a refusal is recorded even before storage is otherwise ready.
    private volatile bool _created;

    public async Task BeginAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        await WithTableAsync(() => _table.UpsertEntityAsync(AuditRows.Begun(entry), TableUpdateMode.Replace, cancellationToken), cancellationToken)
            .ConfigureAwait(false);

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        // One transaction per day: an entry listed just after midnight has its delivery row in the next day's partition.
        foreach (var day in AuditRows.Listed(entry, entry.Listed ?? _clock.GetUtcNow()).GroupBy(row => row.PartitionKey))
        {
            var rows = day.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)).ToList();
            await WithTableAsync(() => _table.SubmitTransactionAsync(rows, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    // Listed first, then no longer begun: a stop between the two leaves an entry the sweeper finds recorded.
    public async Task ForgetBegunAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        await _table.DeleteEntityAsync(AuditRows.BegunPartition, AuditRows.BegunKey(entry), ETag.All, cancellationToken).ConfigureAwait(false);

    public async Task KeepBegunAsync(AuditEntry entry, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(AuditRows.BegunPartition, AuditRows.BegunKey(entry)) { [AuditRows.RunningAtProperty] = at },
                ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Recorded and forgotten, or resolved: nothing is running under it any more.
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ListBegunAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var begun = new List<AuditEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AuditRows.BegunPartition} and Rt lt {before}");
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                // Here, not in the filter: a row begun by a release before this one has no such property, and a filter on it would never list the row.
                if (row.GetDateTimeOffset(AuditRows.RunningAtProperty) >= before)
                {
                    continue;
                }
                begun.Add(AuditRows.Read(row));
                if (begun.Count == max)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == TableErrorCode.TableNotFound)
        {
            // Nothing was ever audited.
        }
        return begun;
    }

    public async Task ResolveAsync(AuditEntry begun, CancellationToken cancellationToken)
    {
        // Added, never replaced: if the process recorded the answer before it stopped, that answer stands.
        // Listed now, whenever the request arrived: a delivery cursor already past that time still gets it.
        foreach (var day in AuditRows.Listed(begun with { Status = null }, _clock.GetUtcNow()).GroupBy(row => row.PartitionKey))
        {
            var rows = day.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)).ToList();
            try
            {
                await WithTableAsync(() => _table.SubmitTransactionAsync(rows, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.ErrorCode == TableErrorCode.EntityAlreadyExists)
            {
            }
        }
        await _table.DeleteEntityAsync(AuditRows.BegunPartition, AuditRows.BegunKey(begun), ETag.All, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var prefix = AuditRows.IndexPrefix(query.ControlPlaneId);
        // Newest first: the newest day has the smallest partition key, the newest time the smallest row key.
        var firstDay = AuditRows.Day(query.To);
        var lastDay = AuditRows.Day(query.From);
        var firstKey = prefix + AuditRows.Suffix(query.To, Guid.Empty);
        // The bounds are inclusive: every id at To sorts after the empty one, every id at From before "~".
        var lastKey = prefix + AuditRows.Descending(query.From) + "|~";
        if (query.After is { } after)
        {
            firstDay = string.CompareOrdinal(firstDay, AuditRows.Day(after.Time)) > 0 ? firstDay : AuditRows.Day(after.Time);
            var afterKey = prefix + AuditRows.Suffix(after.Time, after.Id);
            firstKey = string.CompareOrdinal(firstKey, afterKey) > 0 ? firstKey : afterKey + "~";
        }
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {firstDay} and PartitionKey le {lastDay} and RowKey ge {firstKey} and RowKey lt {lastKey}");
        if (query.PrincipalId is { } principal)
        {
            filter += " and " + TableClient.CreateQueryFilter($"PrincipalId eq {principal}");
        }
        if (query.Action is { } action)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Action eq {action}");
        }

        var entries = new List<AuditEntry>();
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(query.PageSize + 1, 1000), cancellationToken: cancellationToken)
                .ConfigureAwait(false))
            {
                if (entries.Count == query.PageSize)
                {
                    var last = entries[^1];
                    return new AuditPage(entries, new AuditCursor(last.Time, last.Id));
                }
                entries.Add(AuditRows.Read(row));
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == TableErrorCode.TableNotFound)
        {
        }
        return new AuditPage(entries, null);
    }

    public async Task<int> TrimAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        // Days at or before the cutoff's (larger partition keys), rows older than the cutoff.
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {AuditRows.Day(before)} and PartitionKey lt {AuditRows.AfterDays} and Rt lt {before}");
        var old = new List<TableEntity>();
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken)
                .ConfigureAwait(false))
            {
                old.Add(row);
                if (old.Count == max)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == TableErrorCode.TableNotFound)
        {
            return 0;
        }
        foreach (var batch in old.GroupBy(row => row.PartitionKey).SelectMany(day => day.Chunk(TableLimits.MaxTransactionActions)))
        {
            await _table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken)
                .ConfigureAwait(false);
        }
        return old.Count;
    }

    public async Task<IReadOnlyList<AuditEntry>> ListOldestFirstAsync(AuditCursor after, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        var afterKey = AuditRows.OldestFirstKey(after.Time, after.Id);
        var beforeKey = AuditRows.OldestFirstKey(before, Guid.Empty);
        // Day partitions sort newest first, so the days are read one at a time, oldest first.
        for (var day = after.Time.UtcDateTime.Date; day <= before.UtcDateTime.Date && entries.Count < max; day = day.AddDays(1))
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {AuditRows.Day(day)} and RowKey gt {afterKey} and RowKey lt {beforeKey}");
            try
            {
                await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(AuditRows.Read(row));
                    if (entries.Count == max)
                    {
                        break;
                    }
                }
            }
            catch (RequestFailedException e) when (e.ErrorCode == TableErrorCode.TableNotFound)
            {
                break;
            }
        }
        return entries;
    }

    private async Task WithTableAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
        await write().ConfigureAwait(false);
    }
}
