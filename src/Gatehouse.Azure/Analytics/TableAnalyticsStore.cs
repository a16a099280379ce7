using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Analytics;

namespace Gatehouse.Azure.Analytics;

/// <summary>
/// Reported traffic: one partition per control plane; a row per report, keyed
/// <c>{minute yyyyMMddHHmm}_{node id}_{sequence, 20 digits}</c>. A node's bucket of a minute is the
/// rows under its minute and id. A report is written with one unconditional replace of its own row:
/// a heartbeat delivered again (a retry after a lost answer) writes the same row with the same
/// counts, so nothing is counted twice and no read or ETag is needed. Rows in key order are in
/// time order, so a range of time is one range of the partition, and retention deletes a prefix.
/// </summary>
public sealed class TableAnalyticsStore(TableServiceClient tables, StorageLayout layout) : IAnalyticsStore
{
    // A string property holds at most 32K characters; a report of many services is split over several.
    private const int ChunkChars = 30_000;
    private const int MaxChunks = 30;
    private const string MinuteFormat = "yyyyMMddHHmm";

    private readonly TableClient _table = tables.GetTableClient(layout.AnalyticsTable);

    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task WriteAsync(Guid controlPlaneId, Guid nodeId, DateTimeOffset minute, MetricsReport report, CancellationToken cancellationToken)
    {
        var json = TrafficJson.Write(report.Traffic);
        var chunks = (json.Length + ChunkChars - 1) / ChunkChars;
        if (chunks > MaxChunks)
        {
            throw new ArgumentException($"A report of {json.Length} characters is larger than a row holds.", nameof(report));
        }
        var row = new TableEntity(controlPlaneId.ToString(), RowKey(minute, nodeId, report.Sequence))
        {
            ["NodeId"] = nodeId,
            ["Minute"] = minute,
            ["Sequence"] = report.Sequence,
            ["At"] = report.At,
            ["Chunks"] = chunks,
        };
        for (var i = 0; i < chunks; i++)
        {
            row[$"Traffic{i}"] = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - (i * ChunkChars)));
        }
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<NodeMinuteReport> ReadAsync(Guid controlPlaneId, DateTimeOffset from, DateTimeOffset to, Guid? nodeId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partition = controlPlaneId.ToString();
        var first = MinuteKey(from);
        var last = MinuteKey(to);
        var filter = nodeId is { } node
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {first} and RowKey lt {last} and NodeId eq {node}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {first} and RowKey lt {last}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var json = new StringBuilder();
            var chunks = row.GetInt32("Chunks") ?? 0;
            for (var i = 0; i < chunks; i++)
            {
                json.Append(row.GetString($"Traffic{i}"));
            }
            yield return new NodeMinuteReport(row.GetGuid("NodeId") ?? Guid.Empty, row.GetDateTimeOffset("Minute") ?? default,
                row.GetInt64("Sequence") ?? 0, TrafficJson.Read(json.ToString()));
        }
    }

    public async Task<int> DeleteBeforeAsync(Guid controlPlaneId, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {controlPlaneId.ToString()} and RowKey lt {MinuteKey(before)}");
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
            if (keys.Count == limit)
            {
                break;
            }
        }
        foreach (var batch in keys.Chunk(100))
        {
            try
            {
                await _table.SubmitTransactionAsync(batch.Select(key => new TableTransactionAction(TableTransactionActionType.Delete,
                    new TableEntity(controlPlaneId.ToString(), key), ETag.All)), cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException)
            {
                // Another sweeper deleted some first: delete the rest one by one (a missing row is no failure).
                foreach (var key in batch)
                {
                    await _table.DeleteEntityAsync(controlPlaneId.ToString(), key, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
        return keys.Count;
    }

    /// <summary>Deletes every report of a control plane (it was deleted), a few thousand rows at a time.</summary>
    public async Task RemoveAllAsync(Guid controlPlaneId, CancellationToken cancellationToken)
    {
        try
        {
            while (await DeleteBeforeAsync(controlPlaneId, DateTimeOffset.MaxValue, 5000, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
        {
            // Nothing was ever reported.
        }
    }

    private static string MinuteKey(DateTimeOffset time) => time.ToUniversalTime().ToString(MinuteFormat, CultureInfo.InvariantCulture);

    private static string RowKey(DateTimeOffset minute, Guid nodeId, long sequence) =>
        $"{MinuteKey(minute)}_{nodeId:D}_{sequence.ToString("D20", CultureInfo.InvariantCulture)}";
}
