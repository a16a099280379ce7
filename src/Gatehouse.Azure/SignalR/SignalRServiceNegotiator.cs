using Gatehouse.Core.DataPlanes.Push;

namespace Gatehouse.Azure.SignalR;

/// <summary>
/// Sends a node to Azure SignalR Service: the client URL of the hub and a token for it as the
/// node's user. A serverless app never learns connection ids, so the user is put in its control
/// plane's group first (the user-group API), before the node can connect and miss a send.
/// </summary>
public sealed class SignalRServiceNegotiator(SignalRServiceClient client) : IDataPlaneNegotiator
{
    public async Task<HubConnectionInfo> NegotiateAsync(Guid controlPlane, string nodeId, CancellationToken cancellationToken)
    {
        var user = DataPlaneHub.UserOf(controlPlane, nodeId);
        // No ttl: a membership that expired under a long-lived connection would silence it while it
        // still looks connected. The user only ever joins this one group, and a node whose
        // certificate is revoked gets no new token to connect with.
        await client.AddUserToGroupAsync(DataPlaneHub.Name, DataPlaneHub.GroupOf(controlPlane), user, ttl: null, cancellationToken).ConfigureAwait(false);
        var token = await client.GetClientAccessTokenAsync(DataPlaneHub.Name, user, DataPlaneHub.TokenLifetime, cancellationToken).ConfigureAwait(false);
        return new HubConnectionInfo(client.GetClientAccessUri(DataPlaneHub.Name), token);
    }
}
