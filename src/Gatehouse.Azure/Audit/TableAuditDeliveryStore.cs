using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Audit.Delivery;

namespace Gatehouse.Azure.Audit;

/// <summary>
/// The <c>auditdelivery</c> table: destinations (partition <c>destinations</c>, a row per id), the
/// webhook (<c>webhook/config</c>), a cursor per target (partition <c>cursors</c>, a row per target key)
/// and the signing key (<c>keys/ed25519</c>). The authorization values and the private key are kept
/// here as they are: anyone who can read this table can read them, so it is as guarded as the
/// storage account (on Azure: Entra ID only, no shared keys). Key Vault would keep them apart.
/// </summary>
public sealed class TableAuditDeliveryStore(TableServiceClient tables, StorageLayout layout) : IAuditDeliveryStore, IAuditSigningKeyStore
{
    private const string Destinations = "destinations";
    private const string Cursors = "cursors";
    private readonly TableClient _table = tables.GetTableClient(layout.AuditDeliveryTable);
    private volatile bool _created;

    public async Task<AuditDestination?> GetDestinationAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await GetAsync(Destinations, id.ToString("D"), cancellationToken).ConfigureAwait(false);
        return row is null ? null : ReadDestination(row);
    }

    public async Task<IReadOnlyList<AuditDestination>> ListDestinationsAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<AuditDestination>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Destinations}"), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            list.Add(ReadDestination(row));
        }
        return list;
    }

    public async Task PutDestinationAsync(AuditDestination destination, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(new TableEntity(Destinations, destination.Id.ToString("D"))
        {
            ["Name"] = destination.Name,
            ["Endpoint"] = destination.Endpoint,
            ["Authorization"] = destination.Authorization,
            ["LogFormat"] = destination.LogFormat,
            ["SkipSslVerification"] = destination.SkipSslVerification,
            ["CreatedAt"] = destination.CreatedAt,
            ["UpdatedAt"] = destination.UpdatedAt,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteDestinationAsync(Guid id, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.DeleteEntityAsync(Destinations, id.ToString("D"), ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<AuditWebhook> GetWebhookAsync(CancellationToken cancellationToken)
    {
        var row = await GetAsync("webhook", "config", cancellationToken).ConfigureAwait(false);
        return row is null ? AuditWebhook.Unconfigured : new AuditWebhook(
            row.GetBoolean("Enabled") ?? false,
            row.GetGuid("DestinationId"),
            row.GetString("Endpoint"),
            row.GetString("Authorization"),
            row.GetString("LogFormat") ?? AuditLogFormats.Cef,
            row.GetBoolean("SkipSslVerification") ?? false,
            row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);
    }

    public async Task PutWebhookAsync(AuditWebhook webhook, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(new TableEntity("webhook", "config")
        {
            ["Enabled"] = webhook.Enabled,
            ["DestinationId"] = webhook.DestinationId,
            ["Endpoint"] = webhook.Endpoint,
            ["Authorization"] = webhook.Authorization,
            ["LogFormat"] = webhook.LogFormat,
            ["SkipSslVerification"] = webhook.SkipSslVerification,
            ["UpdatedAt"] = webhook.UpdatedAt,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AuditDeliveryState?> GetStateAsync(string targetKey, CancellationToken cancellationToken)
    {
        var row = await GetAsync(Cursors, targetKey, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new AuditDeliveryState(
            new AuditCursor(row.GetDateTimeOffset("AfterTime") ?? DateTimeOffset.MinValue, row.GetGuid("AfterId") ?? Guid.Empty),
            row.GetInt32("Failures") ?? 0,
            row.GetDateTimeOffset("NextAttemptAt"),
            row.ETag.ToString());
    }

    public async Task<bool> TryPutStateAsync(string targetKey, AuditDeliveryState state, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(Cursors, targetKey)
        {
            ["AfterTime"] = state.After.Time,
            ["AfterId"] = state.After.Id,
            ["Failures"] = state.Failures,
            ["NextAttemptAt"] = state.NextAttemptAt,
        };
        try
        {
            if (state.Version is null)
            {
                await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _table.UpdateEntityAsync(row, new ETag(state.Version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<byte[]> GetOrCreateAsync(Func<byte[]> create, CancellationToken cancellationToken)
    {
        if (await GetAsync("keys", "ed25519", cancellationToken).ConfigureAwait(false) is { } kept)
        {
            return kept.GetBinary("PrivateKey") ?? throw new InvalidDataException("The audit signing key row has no PrivateKey.");
        }
        try
        {
            var made = create();
            await _table.AddEntityAsync(new TableEntity("keys", "ed25519") { ["PrivateKey"] = made }, cancellationToken).ConfigureAwait(false);
            return made;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another instance made one first: every instance signs with the same key.
            return await GetOrCreateAsync(create, cancellationToken).ConfigureAwait(false);
        }
    }

    private static AuditDestination ReadDestination(TableEntity row) => new(
        Guid.Parse(row.RowKey),
        row.GetString("Name") ?? "",
        row.GetString("Endpoint") ?? "",
        row.GetString("Authorization") ?? "",
        row.GetString("LogFormat") ?? AuditLogFormats.Cef,
        row.GetBoolean("SkipSslVerification") ?? false,
        row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);

    private async Task<TableEntity?> GetAsync(string partition, string row, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}
