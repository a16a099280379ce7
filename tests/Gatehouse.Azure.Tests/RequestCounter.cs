using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>Counts the requests a storage client sends: the round trips an operation costs, and what each asked for.</summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    public int Count => _requests.Count;

    /// <summary>Each request as its method and unescaped path, in the order they were sent.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>A Tables client of <paramref name="storage"/> whose requests this counts, and <paramref name="also"/> sees when given.</summary>
    public TableServiceClient Tables(StorageFixture storage, HttpPipelinePolicy? also = null)
    {
        var options = new StorageAccountOptions();
        options.Tables.AddPolicy(this, HttpPipelinePosition.PerCall);
        if (also is not null)
        {
            options.Tables.AddPolicy(also, HttpPipelinePosition.PerCall);
        }
        return storage.CreateAccount(options).Tables;
    }

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}");
}
