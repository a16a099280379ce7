namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// The sidecar's connection pool (its client certificate, its pinned trust) lent to the SignalR
/// client for its negotiate requests. The client disposes the handler its factory returns when a
/// connection ends, which must not close the pool; and its own request timeout is two minutes, so
/// each request is bounded here.
/// </summary>
internal sealed class LentHandler(HttpMessageInvoker pool, TimeSpan timeout) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(timeout);
        try
        {
            return await pool.SendAsync(request, step.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (step.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{request.RequestUri?.Host} did not answer within {timeout.TotalSeconds:0.###} s.", e);
        }
    }
}
