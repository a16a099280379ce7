using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Azure.Tables;

namespace Gatehouse.Azure.DataPlanes;

/// <summary>
/// Group commit of node rows. After a config push every node of a control plane pulls it and
/// beats within milliseconds of the others, so hundreds of unconditional upserts hit one
/// partition at once; one at a time they cost a request each. Here each partition has at most one
/// write in flight: a caller that finds none writes its row at once, on its own (no transaction,
/// no waiting when there is no contention), and rows that arrive meanwhile wait and go together in
/// the next entity-group transaction, and so on until none are left. Nothing waits for a timer:
/// a batch is whatever arrived during the previous write. It groups what one process writes (the
/// app holds one node store); other instances of the app group their own.
/// <para>
/// A caller's task ends when its row is committed (or a newer row for the same node that replaced
/// it while waiting: the newest heartbeat wins), so a heartbeat is as durable as before. A refused
/// transaction is written again row by row, so that a row the service refuses fails only its own
/// caller (one the Table client refuses fails before it is queued). A caller's token stops it
/// waiting, not the write, which is the others' too: a row already queued is written anyway, as a
/// request cancelled in flight may have been before.
/// </para>
/// </summary>
internal sealed class NodeUpsertBatcher(TableClient table)
{
    // The batch/changeset boundaries around the operations, with room to spare.
    private const int TransactionEnvelopeBytes = 4 * 1024;
    // An operation's multipart and HTTP headers (~250 bytes) around its URI and JSON body.
    private const int OperationHeaderBytes = 512;
    // "@odata.type":"Edm.DateTime", after a property's name, with its quotes and comma.
    private const int AnnotationBytes = 32;

    private readonly TableClient _table = table;
    private readonly int _tableUriLength = table.Uri.AbsoluteUri.Length;
    private readonly Lock _lock = new();
    // Only partitions with a write in flight: the last write to find nothing pending removes its
    // partition, so this holds as many entries as there are partitions being written right now.
    private readonly Dictionary<string, Partition> _writing = new(StringComparer.Ordinal);

    /// <summary>Partitions with a write in flight (for tests: none once every caller is answered).</summary>
    internal int PartitionsWriting
    {
        get
        {
            lock (_lock)
            {
                return _writing.Count;
            }
        }
    }

    /// <summary>Writes the row, replacing any with its keys, alone or with others of its partition.</summary>
    public Task UpsertAsync(TableEntity row, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        // Checked and measured here, by the caller: a row the Table client would refuse fails now,
        // on its own, instead of inside someone's transaction.
        var bytes = OperationBytes(row);

        var waiting = Join(row, bytes);
        return waiting is null
            ? WriteAloneAsync(row, cancellationToken)
            : waiting.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Queues the row behind the partition's write in flight and answers what to wait for, or
    /// answers null when there is none: then the partition is marked in flight for this caller.
    /// </summary>
    private Pending? Join(TableEntity row, int bytes)
    {
        lock (_lock)
        {
            if (!_writing.TryGetValue(row.PartitionKey, out var partition))
            {
                _writing.Add(row.PartitionKey, new Partition());
                return null;
            }
            if (partition.ByRow.TryGetValue(row.RowKey, out var older))
            {
                // A transaction names a row once, and this row is newer: it takes the older one's
                // place, and the older one's caller is answered when it is written.
                older.Row = row;
                older.Bytes = bytes;
                return older;
            }
            var pending = new Pending(row, bytes);
            partition.ByRow.Add(row.RowKey, pending);
            partition.Queue.Enqueue(pending);
            return pending;
        }
    }

    private async Task WriteAloneAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Whatever became of this row, the partition is free for the rows that queued behind
            // it. They are written off this caller's path: its answer does not wait for theirs.
            var next = Take(row.PartitionKey);
            if (next.Count > 0)
            {
                _ = Task.Run(() => DrainAsync(row.PartitionKey, next), CancellationToken.None);
            }
        }
    }

    /// <summary>Writes batch after batch until the partition has nothing pending. Never throws.</summary>
    private async Task DrainAsync(string partitionKey, List<Pending> batch)
    {
        while (batch.Count > 0)
        {
            await WriteAsync(batch).ConfigureAwait(false);
            // The next batch is taken (or the partition let go) before these callers are answered,
            // so that once every caller has its answer nothing is left marked in flight.
            var next = Take(partitionKey);
            foreach (var pending in batch)
            {
                pending.Complete();
            }
            batch = next;
        }
    }

    /// <summary>Records each row's outcome on it; storage failures end there, not here.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            await WriteOneAsync(batch[0]).ConfigureAwait(false);
            return;
        }
        try
        {
            // No caller's token: the write is all of theirs, and one giving up must not fail it.
            await _table.SubmitTransactionAsync(
                batch.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace, p.Row)),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Row by row, each caller gets its own outcome and its own exception. Writing a row
            // again is safe whatever became of the transaction: an upsert replaces, and no newer
            // row of these nodes is written before this batch ends. Concurrently, as they were
            // written before there was a batcher: they are distinct rows, their order is no matter.
            await Task.WhenAll(batch.Select(WriteOneAsync)).ConfigureAwait(false);
        }
    }

    private async Task WriteOneAsync(Pending pending)
    {
        try
        {
            await _table.UpsertEntityAsync(pending.Row, TableUpdateMode.Replace, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            pending.Error = e;
        }
    }

    /// <summary>
    /// The oldest pending rows that fit one transaction, or none, and then the partition is no
    /// longer in flight: the next caller writes at once.
    /// </summary>
    private List<Pending> Take(string partitionKey)
    {
        var batch = new List<Pending>();
        var bytes = TransactionEnvelopeBytes;
        lock (_lock)
        {
            var partition = _writing[partitionKey];
            while (batch.Count < TableLimits.MaxTransactionActions
                && partition.Queue.TryPeek(out var next)
                && (batch.Count == 0 || bytes + next.Bytes <= TableLimits.MaxTransactionBytes))
            {
                partition.Queue.Dequeue();
                partition.ByRow.Remove(next.Row.RowKey);
                batch.Add(next);
                bytes += next.Bytes;
            }
            if (batch.Count == 0)
            {
                _writing.Remove(partitionKey);
            }
        }
        return batch;
    }

    /// <summary>
    /// What the row adds to a transaction body: its JSON, its headers, and its URI, whose keys
    /// are percent-encoded UTF-8, at most 9 bytes a character.
    /// </summary>
    private int OperationBytes(TableEntity row)
    {
        TableLimits.CheckEntity(row);
        return JsonBytes(row) + OperationHeaderBytes + _tableUriLength
            + (9 * (row.PartitionKey.Length + row.RowKey.Length));
    }

    /// <summary>
    /// The row's JSON as the Table client writes it (System.Text.Json's default escaping), and
    /// room for the <c>name@odata.type</c> annotation it may add to each property.
    /// </summary>
    private static int JsonBytes(TableEntity row) =>
        JsonSerializer.SerializeToUtf8Bytes<IDictionary<string, object>>(row).Length
        + row.Keys.Sum(name => name.Length + AnnotationBytes);

    private sealed class Partition
    {
        /// <summary>Pending rows, oldest first; <see cref="ByRow"/> finds one by its row key.</summary>
        public Queue<Pending> Queue { get; } = new();

        public Dictionary<string, Pending> ByRow { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Pending(TableEntity row, int bytes)
    {
        public TableEntity Row { get; set; } = row;

        public int Bytes { get; set; } = bytes;

        public Exception? Error { get; set; }

        // Callers resume on the pool, not inside the drain, which has the next batch to write.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete()
        {
            if (Error is null)
            {
                Done.TrySetResult();
                return;
            }
            Done.TrySetException(Error);
            // Its callers may all have stopped waiting; then nobody will look, and that is fine.
            _ = Done.Task.Exception;
        }
    }
}
