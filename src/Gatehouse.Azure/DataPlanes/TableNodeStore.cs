using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Azure.DataPlanes;

/// <summary>
/// Data plane nodes: one partition per control plane, a row per node keyed by its id, so a
/// heartbeat is one unconditional upsert (the newest heartbeat wins; there is nothing to merge)
/// and a control plane's list is one range of its partition, in id order, which is what the
/// cursor pages through. Heartbeats that arrive together share transactions (<see cref="NodeUpsertBatcher"/>).
/// </summary>
public sealed class TableNodeStore : INodeStore
{
    private readonly TableClient _table;
    private readonly NodeUpsertBatcher _upserts;

    public TableNodeStore(TableServiceClient tables, StorageLayout layout)
    {
        _table = tables.GetTableClient(layout.NodesTable);
        _upserts = new NodeUpsertBatcher(_table);
    }

    /// <summary>Control planes whose node rows are being written (for tests: none once every upsert is answered).</summary>
    internal int PartitionsWriting => _upserts.PartitionsWriting;

    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task UpsertAsync(DataPlaneNode node, CancellationToken cancellationToken) =>
        await _upserts.UpsertAsync(Write(node), cancellationToken).ConfigureAwait(false);

    public async Task<DataPlaneNode?> FindAsync(Guid controlPlaneId, Guid nodeId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(controlPlaneId.ToString(), nodeId.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row is { HasValue: true, Value: { } entity } ? Read(entity) : null;
    }

    public async Task<(IReadOnlyList<DataPlaneNode> Page, bool More)> ListAsync(Guid controlPlaneId, int size, Guid? after, CancellationToken cancellationToken)
    {
        var filter = after is { } last
            ? TableClient.CreateQueryFilter($"PartitionKey eq {controlPlaneId.ToString()} and RowKey gt {last.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {controlPlaneId.ToString()}");
        var page = new List<DataPlaneNode>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(size + 1, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (page.Count == size)
            {
                return (page, true);
            }
            page.Add(Read(row));
        }
        return (page, false);
    }

    public async Task<int> CountAsync(Guid controlPlaneId, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in _table.QueryAsync<TableEntity>(Partition(controlPlaneId), select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }
        return count;
    }

    public async Task<bool> RemoveAsync(Guid controlPlaneId, Guid nodeId, CancellationToken cancellationToken)
    {
        var response = await _table.DeleteEntityAsync(controlPlaneId.ToString(), nodeId.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<int> RemoveUnseenSinceAsync(Guid controlPlaneId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {controlPlaneId.ToString()} and LastPing lt {before}");
        return await RemoveAsync(filter, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAllAsync(Guid controlPlaneId, CancellationToken cancellationToken) =>
        await RemoveAsync(Partition(controlPlaneId), cancellationToken).ConfigureAwait(false);

    private async Task<int> RemoveAsync(string filter, CancellationToken cancellationToken)
    {
        var keys = new List<(string Partition, string Row)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add((row.PartitionKey, row.RowKey));
        }
        // One by one rather than in transactions: a heartbeat may rewrite a node meanwhile, and
        // removing a node that just came back is harmless (its next heartbeat writes it again).
        foreach (var (partition, key) in keys)
        {
            await _table.DeleteEntityAsync(partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return keys.Count;
    }

    private static string Partition(Guid controlPlaneId) => TableClient.CreateQueryFilter($"PartitionKey eq {controlPlaneId.ToString()}");

    private static TableEntity Write(DataPlaneNode node)
    {
        var row = new TableEntity(node.ControlPlaneId.ToString(), node.Id.ToString())
        {
            ["Hostname"] = node.Hostname,
            ["Version"] = node.Version,
            ["Plugins"] = JsonSerializer.Serialize(node.Plugins.Select(p => new[] { p.Name, p.Version })),
            ["ConfigHash"] = node.ConfigHash,
            ["Labels"] = JsonSerializer.Serialize(node.Labels),
            ["CertificateId"] = node.CertificateId,
            ["LastPing"] = node.LastPing,
            ["CreatedAt"] = node.CreatedAt,
            ["UpdatedAt"] = node.UpdatedAt,
        };
        if (node.LastError is { } error)
        {
            row["ErrorMessage"] = error.Message;
            row["ErrorConfigHash"] = error.ConfigHash;
        }
        return row;
    }

    private static DataPlaneNode Read(TableEntity row) => new()
    {
        Id = Guid.Parse(row.RowKey),
        ControlPlaneId = Guid.Parse(row.PartitionKey),
        Hostname = row.GetString("Hostname") ?? "",
        Version = row.GetString("Version") ?? "",
        Plugins = JsonSerializer.Deserialize<string?[][]>(row.GetString("Plugins") ?? "[]")!
            .Select(p => new NodePlugin(p[0] ?? "", p.Length > 1 ? p[1] : null)).ToList(),
        ConfigHash = row.GetString("ConfigHash") ?? "",
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString("Labels") ?? "{}")!,
        CertificateId = row.GetGuid("CertificateId") ?? Guid.Empty,
        LastError = row.GetString("ErrorMessage") is { } message ? new NodeError(message, row.GetString("ErrorConfigHash")) : null,
        LastPing = row.GetDateTimeOffset("LastPing") ?? default,
        CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
    };
}
