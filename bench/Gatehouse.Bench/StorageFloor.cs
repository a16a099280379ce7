using System.Diagnostics;
using Azure.Data.Tables;

namespace Gatehouse.Bench;

/// <summary>
/// What the storage alone takes in one control plane's partition of the entities table, with no app
/// in the way: a point read of its revision row, and a transaction of a commit's shape (five rows).
/// Issue #16 has every write commit one such transaction in its control plane's partition, so no
/// write can reach its snapshot faster than the storage runs that transaction there: when the
/// storage's own time grows with the partition, that much of a write's growth is the storage's.
/// </summary>
internal static class StorageFloor
{
    private const int Warmup = 5;

    /// <summary>The p50s, in ms, of <paramref name="times"/> point reads and as many transactions in <paramref name="partition"/>.</summary>
    public static async Task<(double Read, double Transaction)> MeasureAsync(TableClient table, string partition, int times)
    {
        var reads = new List<double>(times);
        for (var i = 0; i < Warmup + times; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await table.GetEntityIfExistsAsync<TableEntity>(partition, "rev");
            if (i >= Warmup)
            {
                reads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        // Rows under a prefix none of the app's row ranges covers, removed once timed.
        var transactions = new List<double>(times);
        var written = new List<string>();
        for (var i = 0; i < Warmup + times; i++)
        {
            var rows = Enumerable.Range(0, 5).Select(k => $"~floor|{i:D4}|{k}").ToList();
            var started = Stopwatch.GetTimestamp();
            await table.SubmitTransactionAsync(rows.Select(row =>
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, row) { ["Body"] = ApiCreateThroughput.ServiceBody })));
            if (i >= Warmup)
            {
                transactions.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            written.AddRange(rows);
        }
        foreach (var chunk in written.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(row =>
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, row), global::Azure.ETag.All)));
        }
        return (Percentile.OfUnsorted(reads, 0.5), Percentile.OfUnsorted(transactions, 0.5));
    }
}
