using Gatehouse.Core.DataPlanes.Push;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// Sends a node to this process's hub with a token for its control plane. The hub's URL is on the
/// address data planes reach the app at: <c>Gatehouse:PublicUrl</c> when set (behind a proxy),
/// else the host of the request being served (the negotiate request), else where Kestrel listens.
/// </summary>
internal sealed class LocalHubNegotiator(LocalHubTokens tokens, IConfiguration configuration, IHttpContextAccessor http, IServer server) : IDataPlaneNegotiator
{
    public Task<HubConnectionInfo> NegotiateAsync(Guid controlPlane, string nodeId, CancellationToken cancellationToken)
    {
        DataPlaneHub.UserOf(controlPlane, nodeId); // refuses a malformed node id before a token names it
        return Task.FromResult(new HubConnectionInfo(new Uri(BaseUrl() + LocalDataPlaneHub.Path), tokens.Issue(controlPlane, nodeId)));
    }

    private string BaseUrl()
    {
        if (configuration["Gatehouse:PublicUrl"] is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }
        if (http.HttpContext?.Request is { } request)
        {
            return $"{request.Scheme}://{request.Host}{request.PathBase}";
        }
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The app listens nowhere yet: no hub URL to give.");
        // Kestrel reports a wildcard bind as such; data planes on this host reach it on loopback.
        return address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://[::1]", StringComparison.Ordinal).TrimEnd('/');
    }
}
