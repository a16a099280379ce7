using Azure.Core;

namespace Gatehouse.Azure.Tests;

/// <summary>An identity that always has the same token, and records what it was asked for (the scopes).</summary>
internal sealed class StaticToken(string token) : TokenCredential
{
    public List<TokenRequestContext> Requests { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(requestContext);
        }
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
