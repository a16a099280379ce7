using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.Tests;

/// <summary>Counts the requests a storage client sends: the round trips an operation costs.</summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
