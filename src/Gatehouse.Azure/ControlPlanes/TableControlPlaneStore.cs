using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Analytics;
using Gatehouse.Azure.Audit;
using Gatehouse.Azure.DataPlanes;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Azure.ControlPlanes;

/// <summary>
/// Control planes in one table partition: a row per control plane (<c>id:{id}</c>) and a row per
/// name (<c>name:{name}</c>) written in the same transaction, so a name is taken exactly when a
/// control plane holds it. Deleting writes a tombstone (<c>deleting:{id}</c>) in that transaction
/// and clears the control plane's entity partition and its DP client certificates after; a crash
/// in between is finished by <see cref="CompletePendingDeletionsAsync"/>.
/// The certificates are removed through <paramref name="dpCertificates"/> when given, so that
/// whatever the app keeps in front of them hears of it.
/// </summary>
public sealed class TableControlPlaneStore(TableServiceClient tables, StorageLayout layout, IDpCertificateStore? dpCertificates = null) : IControlPlaneStore
{
    private const string Partition = "cp";
    private const string IdPrefix = "id:";
    private const string NamePrefix = "name:";
    private const string DeletingPrefix = "deleting:";
    private const string DeletedPrefix = "deleted:";

    private readonly TableClient _controlPlanes = tables.GetTableClient(layout.ControlPlanesTable);
    private readonly TableClient _entities = tables.GetTableClient(layout.EntitiesTable);
    private readonly TableDpCertificateStore _dpCertificateTable = new(tables, layout);
    private readonly IDpCertificateStore? _dpCertificates = dpCertificates;
    private readonly TableNodeStore _nodes = new(tables, layout);
    private readonly TableAnalyticsStore _analytics = new(tables, layout);
    private readonly TableClient _audit = tables.GetTableClient(layout.AuditTable);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _controlPlanes.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _entities.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _dpCertificateTable.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _nodes.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ControlPlane?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await _controlPlanes.GetEntityIfExistsAsync<TableEntity>(Partition, IdPrefix + id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row is { HasValue: true, Value: { } entity } ? ControlPlaneRow.Read(entity) : null;
    }

    public async Task<ControlPlane?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var index = await _controlPlanes.GetEntityIfExistsAsync<TableEntity>(Partition, NameKey(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return index is { HasValue: true, Value: { } entity } && entity.GetGuid("Id") is { } id
            ? await FindAsync(id, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<IReadOnlyList<ControlPlane>> ListAsync(CancellationToken cancellationToken)
    {
        var filter = Prefixed(IdPrefix);
        var list = new List<ControlPlane>();
        await foreach (var row in _controlPlanes.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ControlPlaneRow.Read(row));
        }
        return list;
    }

    public async Task<bool> TryAddAsync(ControlPlane controlPlane, CancellationToken cancellationToken)
    {
        return await _controlPlanes.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Add, ControlPlaneRow.Write(controlPlane, Partition, IdPrefix + controlPlane.Id)),
            new(TableTransactionActionType.Add, NameRow(controlPlane)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;
    }

    public async Task<ReplaceOutcome> TryReplaceAsync(ControlPlane current, ControlPlane updated, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, ControlPlaneRow.Write(updated, Partition, IdPrefix + updated.Id), VersionOf(current)),
        };
        var renamed = !string.Equals(current.Name, updated.Name, StringComparison.Ordinal);
        if (renamed)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition, NameKey(current.Name))));
            actions.Add(new(TableTransactionActionType.Add, NameRow(updated)));
        }
        return await _controlPlanes.SubmitGuardedAsync(actions, cancellationToken).ConfigureAwait(false) switch
        {
            GuardedOutcome.Committed => ReplaceOutcome.Replaced,
            GuardedOutcome.Stale => ReplaceOutcome.Stale,
            _ => ReplaceOutcome.NameTaken,
        };
    }

    public async Task<bool> TryRemoveAsync(ControlPlane current, CancellationToken cancellationToken)
    {
        if (await _controlPlanes.SubmitGuardedAsync(
            [
                new(TableTransactionActionType.Delete, new TableEntity(Partition, IdPrefix + current.Id), VersionOf(current)),
                new(TableTransactionActionType.Delete, new TableEntity(Partition, NameKey(current.Name))),
                new(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, DeletingPrefix + current.Id)),
            ], cancellationToken).ConfigureAwait(false) != GuardedOutcome.Committed)
        {
            return false;
        }
        await PurgeAsync(current.Id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<int> CompletePendingDeletionsAsync(CancellationToken cancellationToken)
    {
        var finished = 0;
        await foreach (var tombstone in _controlPlanes.QueryAsync<TableEntity>(Prefixed(DeletingPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await PurgeAsync(Guid.Parse(tombstone.RowKey[DeletingPrefix.Length..]), cancellationToken).ConfigureAwait(false);
            finished++;
        }

        // Revision tombstones have outlived any write that could race their deletion: remove them.
        await foreach (var deleted in _controlPlanes.QueryAsync<TableEntity>(Prefixed(DeletedPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (deleted.GetDateTimeOffset("DeletedAt") is { } at && DateTimeOffset.UtcNow - at > EntityPartition.TombstoneLifetime)
            {
                await _entities.DeleteEntityAsync(deleted.RowKey[DeletedPrefix.Length..], EntityPartition.RevisionKey, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                await _controlPlanes.DeleteEntityAsync(Partition, deleted.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        return finished;
    }

    /// <summary>
    /// Audit entries a commit kept in the partition whose answer is not recorded yet (a process
    /// stopped, or the request is still answering) move to the audit log's outbox before the partition
    /// goes, where the audit sweep finds them (an answer recorded meanwhile stands: the sweep only adds what is missing).
    /// </summary>
    private async Task HandOverKeptAuditEntriesAsync(string partition, CancellationToken cancellationToken)
    {
        var created = false;
        await foreach (var kept in _entities.QueryAsync<TableEntity>(TableFilter.InPartitionStartingWith(partition, EntityAuditOutbox.Prefix), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if (!created)
            {
                await _audit.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                created = true;
            }
            await _audit.UpsertEntityAsync(AuditRows.Begun(AuditRows.Read(kept)), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Marks the partition's revision deleted (so a writer that raced the deletion fails its
    /// conditional commit and then sees the control plane gone), deletes every other row of it,
    /// unpins its DP client certificates (its data planes are refused from then on: orphaned, they
    /// keep running their last config), forgets its data plane nodes and their traffic reports, then turns the deletion tombstone into a record of when
    /// the revision may go too.
    /// </summary>
    private async Task PurgeAsync(Guid id, CancellationToken cancellationToken)
    {
        var partition = id.ToString();
        await _entities.UpsertEntityAsync(
            new TableEntity(partition, EntityPartition.RevisionKey) { [EntityPartition.DeletedProperty] = true },
            TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);

        await HandOverKeptAuditEntriesAsync(partition, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ne {EntityPartition.RevisionKey}");
        while (true)
        {
            var keys = new List<string>();
            await foreach (var page in _entities.QueryAsync<TableEntity>(filter, maxPerPage: TableLimits.MaxTransactionActions, select: ["RowKey"], cancellationToken: cancellationToken)
                .AsPages().ConfigureAwait(false))
            {
                keys.AddRange(page.Values.Select(e => e.RowKey));
                if (keys.Count > 0)
                {
                    break;
                }
            }
            if (keys.Count == 0)
            {
                break;
            }
            await _entities.SubmitTransactionAsync(
                keys.Take(TableLimits.MaxTransactionActions).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k))),
                cancellationToken).ConfigureAwait(false);
        }

        await (_dpCertificates ?? _dpCertificateTable).RemoveAllAsync(id, cancellationToken).ConfigureAwait(false);
        await _nodes.RemoveAllAsync(id, cancellationToken).ConfigureAwait(false);
        await _analytics.RemoveAllAsync(id, cancellationToken).ConfigureAwait(false);

        await _controlPlanes.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Delete, new TableEntity(Partition, DeletingPrefix + id)),
            new(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, DeletedPrefix + id) { ["DeletedAt"] = DateTimeOffset.UtcNow }),
        ], cancellationToken).ConfigureAwait(false);
    }

    private static string Prefixed(string prefix) =>
        TableFilter.InPartitionStartingWith(Partition, prefix);

    private static TableEntity NameRow(ControlPlane controlPlane) =>
        new(Partition, NameKey(controlPlane.Name)) { ["Id"] = controlPlane.Id };

    private static string NameKey(string name) => NamePrefix + TableKey.Escape(name);

    private static ETag VersionOf(ControlPlane controlPlane) =>
        controlPlane.Version is { } version ? new ETag(version) : throw new ArgumentException("The control plane was not read from the store.", nameof(controlPlane));
}

/// <summary>How a control plane sits in a table row.</summary>
internal static class ControlPlaneRow
{
    public static TableEntity Write(ControlPlane cp, string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["Id"] = cp.Id,
        ["Name"] = cp.Name,
        ["Description"] = cp.Description,
        ["Labels"] = JsonSerializer.Serialize(cp.Labels),
        ["ClusterType"] = cp.ClusterType.ToWire(),
        ["AuthType"] = cp.AuthType.ToWire(),
        ["CloudGateway"] = cp.CloudGateway,
        ["ProxyUrls"] = JsonSerializer.Serialize(cp.ProxyUrls),
        ["IsDefault"] = cp.IsDefault,
        ["CreatedAt"] = cp.CreatedAt,
        ["UpdatedAt"] = cp.UpdatedAt,
    };

    public static ControlPlane Read(TableEntity row)
    {
        WireNames.TryParseClusterType(row.GetString("ClusterType") ?? "", out var clusterType);
        WireNames.TryParseAuthType(row.GetString("AuthType") ?? "", out var authType);
        return new ControlPlane
        {
            Id = row.GetGuid("Id") ?? throw new FormatException($"Control plane row {row.RowKey} has no Id."),
            Name = row.GetString("Name") ?? "",
            Description = row.GetString("Description") ?? "",
            Labels = new SortedDictionary<string, string>(
                JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString("Labels") ?? "{}") ?? [], StringComparer.Ordinal),
            ClusterType = clusterType,
            AuthType = authType,
            CloudGateway = row.GetBoolean("CloudGateway") ?? false,
            ProxyUrls = JsonSerializer.Deserialize<List<ProxyUrl>>(row.GetString("ProxyUrls") ?? "[]") ?? [],
            IsDefault = row.GetBoolean("IsDefault") ?? false,
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
            Version = row.ETag.ToString(),
        };
    }
}
