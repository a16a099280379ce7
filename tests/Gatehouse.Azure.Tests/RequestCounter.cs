using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.Tests;

/// <summary>Counts the requests a storage client sends: the round trips an operation costs, and what each asked for.</summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    public int Count => _requests.Count;

    /// <summary>Each request as its method and unescaped path, in the order they were sent.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}");
}
