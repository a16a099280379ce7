using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.SignalR;

/// <summary>
/// Signs each REST request (each retry too, so a token never outlives its request) with a token
/// whose audience is the request URL with its query, as the service's SDK signs them
/// (RestApiProvider); the service also accepts the URL without the query.
/// </summary>
internal sealed class SignalRAccessKeyPolicy(SignalRAccessKey key, TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(5);

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(
            HttpHeader.Names.Authorization,
            $"Bearer {key.CreateToken(message.Request.Uri.ToUri().AbsoluteUri, clock.GetUtcNow(), s_lifetime)}");
}
