using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Versions;

namespace Gatehouse.Azure.Composition;

/// <summary>
/// Version records (<see cref="VersionRow"/>, written with each pointer move by <see cref="AzureSnapshotStore"/>)
/// and the snapshot blobs they name, as retention lists and deletes them.
/// </summary>
public sealed class AzureConfigVersionStore(StorageAccount storage, StorageLayout layout) : IConfigVersionStore
{
    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(layout.SnapshotsContainer);
    private readonly TableClient _table = storage.Tables.GetTableClient(layout.SnapshotsTable);

    public async Task<(IReadOnlyList<ConfigVersion> Page, bool More)> ListVersionsAsync(
        Guid controlPlane, int size, long? before, CancellationToken cancellationToken)
    {
        var filter = TableFilter.InPartitionStartingWith(controlPlane.ToString(), VersionRow.KeyPrefix);
        if (before is { } number)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {VersionRow.Key(number)}");
        }
        var page = new List<ConfigVersion>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(size + 1, 1000), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if (page.Count == size)
            {
                return (page, true);
            }
            page.Add(VersionRow.Read(row));
        }
        return (page, false);
    }

    public async Task DeleteVersionsAsync(Guid controlPlane, IReadOnlyCollection<long> numbers, CancellationToken cancellationToken)
    {
        foreach (var chunk in numbers.Chunk(TableLimits.MaxTransactionActions))
        {
            var actions = chunk.Select(n => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(controlPlane.ToString(), VersionRow.Key(n)), ETag.All));
            if (await _table.SubmitGuardedAsync(actions, cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed)
            {
                continue;
            }
            // One of them is gone already (a sweep that stopped part way): delete the rest one by one.
            foreach (var number in chunk)
            {
                try
                {
                    await _table.DeleteEntityAsync(controlPlane.ToString(), VersionRow.Key(number), ETag.All, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                }
            }
        }
    }

    public async Task<IReadOnlyList<StoredSnapshot>> ListSnapshotsAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var byHash = new Dictionary<string, (DateTimeOffset LastModified, string Version)>(StringComparer.Ordinal);
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, SnapshotBlobNames.Prefix(controlPlane), cancellationToken).ConfigureAwait(false))
        {
            if (SnapshotBlobNames.Parse(controlPlane, blob.Name) is not var (hash, original))
            {
                continue;
            }
            var modified = blob.Properties.LastModified ?? DateTimeOffset.MinValue;
            var (known, version) = byHash.GetValueOrDefault(hash, (DateTimeOffset.MinValue, ""));
            // The snapshot's own ETag guards its deletion; a copy only makes the hash look younger.
            byHash[hash] = (modified > known ? modified : known, original ? blob.Properties.ETag?.ToString() ?? "" : version);
        }
        return [.. byHash.Select(b => new StoredSnapshot(b.Key, b.Value.LastModified, b.Value.Version))];
    }

    public async Task<bool> DeleteSnapshotAsync(Guid controlPlane, StoredSnapshot stored, CancellationToken cancellationToken)
    {
        if (stored.Version.Length > 0)
        {
            try
            {
                await _container.GetBlobClient(SnapshotBlobNames.Snapshot(controlPlane, stored.Hash)).DeleteAsync(
                    DeleteSnapshotsOption.None, new BlobRequestConditions { IfMatch = new ETag(stored.Version) }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Touched since it was listed: a recomposition is reusing it.
                return false;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }
        foreach (var encoding in SnapshotBlobNames.Encodings)
        {
            await _container.GetBlobClient(SnapshotBlobNames.Encoded(controlPlane, stored.Hash, encoding))
                .DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return true;
    }
}
