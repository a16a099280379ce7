using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Tables;

/// <summary>The Table service of one storage account: the tables in it, and a client for each.</summary>
public class TableServiceClient
{
    private static readonly int[] s_ok = [200];

    private readonly HttpPipeline _pipeline;
    private readonly string _serviceUri;
    private readonly string _version;

    /// <summary>From a connection string (account key, or <c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public TableServiceClient(string connectionString, TableClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), options)
    {
    }

    public TableServiceClient(Uri endpoint, StorageSharedKeyCredential credential, TableClientOptions? options = null)
        : this(endpoint, new TableSharedKeyLitePolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    /// <summary>With an Entra ID credential, such as the function app's managed identity.</summary>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
        : this(endpoint, StoragePipeline.Authenticate(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    private TableServiceClient(StorageConnectionString connection, TableClientOptions? options)
        : this(connection.TableEndpoint, connection.Credential, options)
    {
    }

    private TableServiceClient(Uri endpoint, HttpPipelinePolicy authentication, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new TableClientOptions();
        _pipeline = StoragePipeline.Build(options, authentication);
        _serviceUri = endpoint.AbsoluteUri.TrimEnd('/');
        _version = options.Version;
        Uri = endpoint;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected TableServiceClient()
    {
        _pipeline = null!;
        _serviceUri = _version = "";
        Uri = null!;
    }

    public virtual Uri Uri { get; }

    public virtual TableClient GetTableClient(string tableName) => new(_pipeline, _serviceUri, tableName, _version);

    /// <summary>The names of the tables in the account, in order, across as many pages as needed.</summary>
    public virtual AsyncPageable<string> QueryTablesAsync(int? maxPerPage = null, CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, "The service returns 1 to 1,000 tables per page.");
        }
        return new StoragePageable<string>(
            (continuation, pageSize, token) => QueryTablesPageAsync(pageSize ?? maxPerPage, continuation, token),
            cancellationToken);
    }

    private async ValueTask<Page<string>> QueryTablesPageAsync(int? top, string? continuation, CancellationToken cancellationToken)
    {
        var query = new List<string>(2);
        if (top is not null)
        {
            query.Add($"$top={top}");
        }
        if (!string.IsNullOrEmpty(continuation))
        {
            query.Add("NextTableName=" + Uri.EscapeDataString(continuation));
        }

        using var message = _pipeline.CreateMessage(
            RequestMethod.Get, $"{_serviceUri}/Tables" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), _version);
        message.Request.Headers.Add("DataServiceVersion", "3.0");
        message.Request.Headers.Add(HttpHeader.Names.Accept, "application/json;odata=nometadata");
        var response = await _pipeline.SendExpectingAsync(message, s_ok, cancellationToken).ConfigureAwait(false);

        using var json = JsonDocument.Parse(response.Content);
        var names = new List<string>();
        if (json.RootElement.TryGetProperty("value", out var value))
        {
            foreach (var table in value.EnumerateArray())
            {
                names.Add(table.GetProperty("TableName").GetString()!);
            }
        }
        response.Headers.TryGetValue("x-ms-continuation-NextTableName", out var next);
        return Page<string>.FromValues(names, string.IsNullOrEmpty(next) ? null : next, response);
    }
}
