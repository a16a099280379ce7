using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// Reads and writes the entities of one table over the Table service REST API.
/// Obtain one from <see cref="TableServiceClient.GetTableClient"/>.
/// </summary>
public class TableClient
{
    private static readonly int[] s_created = [201, 204];
    private static readonly int[] s_createdOrExists = [201, 204, 409];
    private static readonly int[] s_noContent = [204];
    private static readonly int[] s_deleted = [204, 404];
    private static readonly int[] s_ok = [200];
    private static readonly int[] s_okOrMissing = [200, 404];
    private static readonly int[] s_accepted = [202];

    private readonly HttpPipeline _pipeline;
    private readonly string _serviceUri;
    private readonly string _tableUri;
    private readonly string _version;

    internal TableClient(HttpPipeline pipeline, string serviceUri, string tableName, string version)
    {
        _pipeline = pipeline;
        _serviceUri = serviceUri;
        Name = TableLimits.CheckTableName(tableName);
        _tableUri = $"{serviceUri}/{tableName}";
        _version = version;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected TableClient()
    {
        _pipeline = null!;
        _serviceUri = _tableUri = _version = "";
        Name = "";
    }

    public virtual string Name { get; }

    public virtual Uri Uri => new(_tableUri);

    /// <summary>Creates the table; <c>Value</c> is false when it already existed.</summary>
    public virtual async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, $"{_serviceUri}/Tables");
        message.Request.Headers.Add(HttpHeader.Names.Prefer, "return-no-content");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        var response = await _pipeline.SendExpectingAsync(message, s_createdOrExists, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && !StorageErrors.Is(response, TableErrorCode.TableAlreadyExists))
        {
            // 409 TableBeingDeleted: the table is not there and cannot be made yet. Say so.
            throw new RequestFailedException(response, null, StorageErrorParser.Shared);
        }
        return Response.FromValue(response.Status != 409, response);
    }

    /// <summary>Deletes the table and everything in it.</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, $"{_serviceUri}/Tables('{Escape(Name)}')");
        return await _pipeline.SendExpectingAsync(message, s_deleted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts an entity; 409 <see cref="TableErrorCode.EntityAlreadyExists"/> if its keys are taken.</summary>
    public virtual async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableLimits.CheckEntity(entity);
        using var message = CreateMessage(RequestMethod.Post, _tableUri);
        message.Request.Headers.Add(HttpHeader.Names.Prefer, "return-no-content");
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
        return await _pipeline.SendExpectingAsync(message, s_created, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts the entity, or merges into / replaces the one with its keys, unconditionally.</summary>
    public virtual Task<Response> UpsertEntityAsync(
        TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteEntityAsync(entity, mode, ifMatch: null, cancellationToken);

    /// <summary>
    /// Merges into or replaces an existing entity if its ETag still is <paramref name="ifMatch"/>
    /// (<see cref="ETag.All"/> for any). 412 <see cref="TableErrorCode.UpdateConditionNotSatisfied"/>
    /// means someone wrote it since it was read; 404 that it is gone.
    /// </summary>
    public virtual Task<Response> UpdateEntityAsync(
        TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs the ETag it is conditional on, or ETag.All.", nameof(ifMatch));
        }
        return WriteEntityAsync(entity, mode, ifMatch, cancellationToken);
    }

    /// <summary>
    /// Deletes an entity if its ETag still is <paramref name="ifMatch"/> (any, by default).
    /// An entity already gone is not an error: the caller's intent holds.
    /// </summary>
    public virtual async Task<Response> DeleteEntityAsync(
        string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, EntityUri(partitionKey, rowKey));
        message.Request.Headers.Add(HttpHeader.Names.IfMatch, (ifMatch == default ? ETag.All : ifMatch).ToString("H"));
        return await _pipeline.SendExpectingAsync(message, s_deleted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one entity; 404 <see cref="TableErrorCode.ResourceNotFound"/> if there is none.</summary>
    public virtual async Task<Response<TableEntity>> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateGetEntityMessage(partitionKey, rowKey, select);
        var response = await _pipeline.SendExpectingAsync(message, s_ok, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ReadEntity(response), response);
    }

    /// <summary>Reads one entity, or answers <c>HasValue == false</c> when there is none.</summary>
    public virtual async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateGetEntityMessage(partitionKey, rowKey, select);
        var response = await _pipeline.SendExpectingAsync(message, s_okOrMissing, cancellationToken).ConfigureAwait(false);
        return response.Status == 404
            ? new StorageNullableResponse<TableEntity>(null, response)
            : new StorageNullableResponse<TableEntity>(ReadEntity(response), response);
    }

    /// <summary>
    /// Queries entities, following the service's continuation tokens across pages (at most
    /// 1,000 entities each). Build <paramref name="filter"/> with <see cref="TableFilter"/>.
    /// </summary>
    public virtual AsyncPageable<TableEntity> QueryAsync(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, "The service returns 1 to 1,000 entities per page.");
        }
        var selected = select is null ? null : string.Join(',', select);
        return new StoragePageable<TableEntity>(
            (continuation, pageSize, token) => QueryPageAsync(filter, selected, pageSize ?? maxPerPage, continuation, token),
            cancellationToken);
    }

    /// <summary>
    /// Commits up to 100 operations on one partition atomically: all of them or none.
    /// A refusal throws <see cref="TableTransactionFailedException"/> naming the operation.
    /// </summary>
    public virtual async Task<Response<IReadOnlyList<TableTransactionResult>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        CheckTransaction(list);

        var (body, contentType) = TableTransactionBody.Build(list, _tableUri, EntityUri);
        if (body.Length > TableLimits.MaxTransactionBytes)
        {
            throw new ArgumentException(
                $"The transaction is {body.Length:N0} bytes; the limit is {TableLimits.MaxTransactionBytes:N0}.", nameof(actions));
        }

        using var message = CreateMessage(RequestMethod.Post, $"{_serviceUri}/$batch");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, contentType);
        message.Request.Content = RequestContent.Create(body);
        var response = await _pipeline.SendExpectingAsync(message, s_accepted, cancellationToken).ConfigureAwait(false);

        response.Headers.TryGetValue(HttpHeader.Names.ContentType, out var responseType);
        var parts = TableTransactionBody.Parse(responseType ?? "", response.Content.ToString());
        var failed = parts.FirstOrDefault(p => p.Status >= 400);
        if (failed is not null)
        {
            throw TableTransactionBody.Failure(failed, list.Count);
        }
        if (parts.Count != list.Count)
        {
            throw new RequestFailedException(response.Status,
                $"The transaction answer holds {parts.Count} results for {list.Count} operations.", null, null);
        }

        IReadOnlyList<TableTransactionResult> results = parts
            .Select(p => new TableTransactionResult(p.Status, StorageETag.Parse(p.Headers.GetValueOrDefault("ETag"))))
            .ToList();
        return Response.FromValue(results, response);
    }

    private static void CheckTransaction(List<TableTransactionAction> actions)
    {
        if (actions.Count is 0 or > TableLimits.MaxTransactionActions)
        {
            throw new ArgumentException(
                $"A transaction holds 1 to {TableLimits.MaxTransactionActions} operations, not {actions.Count}.", nameof(actions));
        }
        var partitionKey = actions[0].Entity.PartitionKey;
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var entity = actions[i].Entity ?? throw new ArgumentException($"Operation {i} has no entity.", nameof(actions));
            if (actions[i].ActionType == TableTransactionActionType.Delete)
            {
                TableLimits.CheckKey(entity.PartitionKey, nameof(entity.PartitionKey));
                TableLimits.CheckKey(entity.RowKey, nameof(entity.RowKey));
            }
            else
            {
                TableLimits.CheckEntity(entity);
            }
            if (!string.Equals(entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Operation {i} is on partition '{entity.PartitionKey}'; a transaction stays in one partition ('{partitionKey}').", nameof(actions));
            }
            if (!rowKeys.Add(entity.RowKey))
            {
                throw new ArgumentException($"Operation {i} touches row '{entity.RowKey}' again; a transaction names each entity once.", nameof(actions));
            }
        }
    }

    private async Task<Response> WriteEntityAsync(TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        TableLimits.CheckEntity(entity);
        var method = mode switch
        {
            TableUpdateMode.Merge => new RequestMethod("MERGE"),
            TableUpdateMode.Replace => RequestMethod.Put,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        using var message = CreateMessage(method, EntityUri(entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            message.Request.Headers.Add(HttpHeader.Names.IfMatch, etag.ToString("H"));
        }
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
        return await _pipeline.SendExpectingAsync(message, s_noContent, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessage CreateGetEntityMessage(string partitionKey, string rowKey, IEnumerable<string>? select)
    {
        var uri = EntityUri(partitionKey, rowKey);
        if (select is not null)
        {
            uri += "?$select=" + Uri.EscapeDataString(string.Join(',', select));
        }
        return CreateMessage(RequestMethod.Get, uri);
    }

    private async ValueTask<Page<TableEntity>> QueryPageAsync(
        string? filter, string? select, int? top, string? continuation, CancellationToken cancellationToken)
    {
        var query = new List<string>(5);
        if (!string.IsNullOrEmpty(filter))
        {
            query.Add("$filter=" + Uri.EscapeDataString(filter));
        }
        if (select is not null)
        {
            query.Add("$select=" + Uri.EscapeDataString(select));
        }
        if (top is not null)
        {
            query.Add("$top=" + top.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var (nextPartition, nextRow) = TableContinuation.Parse(continuation);
        if (nextPartition is not null)
        {
            query.Add("NextPartitionKey=" + Uri.EscapeDataString(nextPartition));
            if (nextRow is not null)
            {
                query.Add("NextRowKey=" + Uri.EscapeDataString(nextRow));
            }
        }

        using var message = CreateMessage(RequestMethod.Get, $"{_tableUri}()" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        var response = await _pipeline.SendExpectingAsync(message, s_ok, cancellationToken).ConfigureAwait(false);

        using var json = JsonDocument.Parse(response.Content);
        var entities = new List<TableEntity>();
        if (json.RootElement.TryGetProperty("value", out var value))
        {
            foreach (var item in value.EnumerateArray())
            {
                entities.Add(TableEntityJson.Read(item));
            }
        }
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var partition);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var row);
        return Page<TableEntity>.FromValues(entities, TableContinuation.Format(partition, row), response);
    }

    private HttpMessage CreateMessage(RequestMethod method, string uri)
    {
        var message = _pipeline.CreateMessage(method, uri, _version);
        var request = message.Request;
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.Add(HttpHeader.Names.Accept, "application/json;odata=minimalmetadata");
        if (method != RequestMethod.Get && method != RequestMethod.Delete)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
        }
        return message;
    }

    private string EntityUri(string partitionKey, string rowKey) =>
        $"{_tableUri}(PartitionKey='{Escape(TableLimits.CheckKey(partitionKey, nameof(partitionKey)))}',RowKey='{Escape(TableLimits.CheckKey(rowKey, nameof(rowKey)))}')";

    // Keys sit inside OData string literals in the path: double the quotes, then percent-encode.
    private static string Escape(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static TableEntity ReadEntity(Response response)
    {
        using var json = JsonDocument.Parse(response.Content);
        var entity = TableEntityJson.Read(json.RootElement);
        if (response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }
        return entity;
    }
}
