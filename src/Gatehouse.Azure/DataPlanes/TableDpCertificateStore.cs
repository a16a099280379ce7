using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Azure.DataPlanes;

/// <summary>
/// Pinned DP client certificates in one table partition: a row per certificate
/// (<c>cert:{control plane}:{id}</c>) and a row per thumbprint (<c>sha256:{hex}</c>) naming where
/// it is pinned, always written and deleted in the same entity-group transaction. So:
/// <list type="bullet">
/// <item>(control plane, id) is a point read, and a control plane's list one range of keys;</item>
/// <item>a presented certificate is one point read by thumbprint, answering its control plane and
/// expiry; the moment a certificate is deleted that read finds nothing;</item>
/// <item>a thumbprint is pinned at most once: the second add fails the whole transaction.</item>
/// </list>
/// One partition is what lets the index be transactional with the rows; it holds every
/// installation's certificates (a few per control plane), and its throughput (thousands of point
/// reads a second) is far above what data planes' periodic requests need.
/// </summary>
public sealed class TableDpCertificateStore(TableServiceClient tables, StorageLayout layout) : IDpCertificateStore
{
    private const string Partition = "dp";
    private const string CertificatePrefix = "cert:";
    private const string ThumbprintPrefix = "sha256:";
    // Two rows per certificate, and a transaction holds at most 100 operations.
    private const int CertificatesPerTransaction = TableLimits.MaxTransactionActions / 2;

    private readonly TableClient _table = tables.GetTableClient(layout.DpCertificatesTable);

    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<DpCertificate>> ListAsync(Guid controlPlaneId, CancellationToken cancellationToken)
    {
        var list = new List<DpCertificate>();
        await foreach (var row in _table.QueryAsync<TableEntity>(OfControlPlane(controlPlaneId), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(DpCertificateRow.Read(row));
        }
        return [.. list.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)];
    }

    public async Task<DpCertificate?> FindAsync(Guid controlPlaneId, Guid id, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, CertificateKey(controlPlaneId, id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row is { HasValue: true, Value: { } entity } ? DpCertificateRow.Read(entity) : null;
    }

    public async Task<DpCertificatePin?> FindByThumbprintAsync(string thumbprint, CancellationToken cancellationToken)
    {
        // Anything but 64 hex digits cannot be a thumbprint; it must not become a key either.
        var normalized = thumbprint.ToLowerInvariant();
        if (normalized.Length != 64 || !normalized.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, ThumbprintPrefix + normalized, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row is { HasValue: true, Value: { } entity } ? DpCertificateRow.ReadPin(entity) : null;
    }

    public async Task<bool> TryAddAsync(DpCertificate certificate, CancellationToken cancellationToken)
    {
        return await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Add, DpCertificateRow.Write(certificate, Partition, CertificateKey(certificate.ControlPlaneId, certificate.Id))),
            new(TableTransactionActionType.Add, DpCertificateRow.WritePin(certificate.Pin, Partition, ThumbprintPrefix + certificate.Thumbprint)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;
    }

    public async Task<DpCertificateReplaceOutcome> TryReplaceAsync(DpCertificate current, DpCertificate updated, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, DpCertificateRow.Write(updated, Partition, CertificateKey(updated.ControlPlaneId, updated.Id)), VersionOf(current)),
        };
        var rekeyed = current.Thumbprint != updated.Thumbprint;
        if (rekeyed)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition, ThumbprintPrefix + current.Thumbprint)));
            actions.Add(new(TableTransactionActionType.Add, DpCertificateRow.WritePin(updated.Pin, Partition, ThumbprintPrefix + updated.Thumbprint)));
        }
        else
        {
            // The expiry lives in the index too; a same-key replace cannot change it, but keep them one.
            // An update names ETag.All: without an ETag the Table client sends no If-Match, and the
            // service would insert a pin that is gone instead of refusing (404).
            actions.Add(new(TableTransactionActionType.UpdateReplace, DpCertificateRow.WritePin(updated.Pin, Partition, ThumbprintPrefix + updated.Thumbprint), ETag.All));
        }
        return await _table.SubmitGuardedAsync(actions, cancellationToken).ConfigureAwait(false) switch
        {
            GuardedOutcome.Committed => DpCertificateReplaceOutcome.Replaced,
            GuardedOutcome.Stale => DpCertificateReplaceOutcome.Stale,
            _ => DpCertificateReplaceOutcome.ThumbprintTaken,
        };
    }

    public async Task<bool> TryRemoveAsync(DpCertificate current, CancellationToken cancellationToken)
    {
        return await _table.SubmitGuardedAsync(
        [
            new(TableTransactionActionType.Delete, new TableEntity(Partition, CertificateKey(current.ControlPlaneId, current.Id)), VersionOf(current)),
            new(TableTransactionActionType.Delete, new TableEntity(Partition, ThumbprintPrefix + current.Thumbprint)),
        ], cancellationToken).ConfigureAwait(false) == GuardedOutcome.Committed;
    }

    public async Task<int> RemoveAllAsync(Guid controlPlaneId, CancellationToken cancellationToken)
    {
        var removed = 0;
        while (true)
        {
            var batch = new List<(string Key, string Thumbprint)>();
            await foreach (var row in _table.QueryAsync<TableEntity>(OfControlPlane(controlPlaneId), maxPerPage: CertificatesPerTransaction,
                select: ["RowKey", "Thumbprint"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                batch.Add((row.RowKey, row.GetString("Thumbprint") ?? ""));
                if (batch.Count == CertificatesPerTransaction)
                {
                    break;
                }
            }
            if (batch.Count == 0)
            {
                return removed;
            }
            try
            {
                await _table.SubmitTransactionAsync(
                    batch.SelectMany(c => new[]
                    {
                        new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, c.Key)),
                        new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, ThumbprintPrefix + c.Thumbprint)),
                    }), cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Someone removed one of these meanwhile. One by one, then: the index row first,
                // so that a crash between the two leaves a listed certificate that no longer
                // authenticates, never the other way round. The next pass finds what is left.
                foreach (var (key, thumbprint) in batch)
                {
                    await _table.DeleteEntityAsync(Partition, ThumbprintPrefix + thumbprint, cancellationToken: cancellationToken).ConfigureAwait(false);
                    await _table.DeleteEntityAsync(Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            removed += batch.Count;
        }
    }

    private static string OfControlPlane(Guid controlPlaneId) =>
        TableFilter.InPartitionStartingWith(Partition, $"{CertificatePrefix}{controlPlaneId}:");

    private static string CertificateKey(Guid controlPlaneId, Guid id) => $"{CertificatePrefix}{controlPlaneId}:{id}";

    private static ETag VersionOf(DpCertificate certificate) =>
        certificate.Version is { } version ? new ETag(version) : throw new ArgumentException("The certificate was not read from the store.", nameof(certificate));
}
