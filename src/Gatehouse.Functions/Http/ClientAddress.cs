using System.Net;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Who is calling, by address: what the audit log records as <c>src</c> and what failed tokens are
/// counted by. <see cref="TrustForwardedFor"/> (<c>Gatehouse__Audit__TrustForwardedFor</c>; by default
/// only when the Functions host, whose proxy sets it, runs the app) says whether X-Forwarded-For names the client.
/// </summary>
internal sealed record ClientAddress(bool TrustForwardedFor)
{
    /// <summary>
    /// The peer's address; behind a proxy that is trusted to set it (the Functions host's), the last
    /// address of X-Forwarded-For, the one that proxy added.
    /// </summary>
    public string? Of(HttpContext context)
    {
        if (TrustForwardedFor && context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded
            && forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is [.., var last]
            && IPEndPoint.TryParse(last, out var endpoint))
        {
            return endpoint.Address.ToString();
        }
        return context.Connection.RemoteIpAddress?.ToString();
    }
}
