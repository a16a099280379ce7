using Microsoft.AspNetCore.SignalR;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// A hub connection's user is the node its token names (<see cref="LocalHubTokens.UserClaim"/>, the
/// same <c>DataPlaneHub.UserOf</c> Azure SignalR Service is given), so that one node can be sent to.
/// SignalR's default looks for <c>ClaimTypes.NameIdentifier</c>, which the token's short claim names are not mapped to.
/// </summary>
internal sealed class LocalHubUsers : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => connection.User.FindFirst(LocalHubTokens.UserClaim)?.Value;
}
