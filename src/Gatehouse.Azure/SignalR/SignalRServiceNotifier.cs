using Gatehouse.Core.DataPlanes.Push;

namespace Gatehouse.Azure.SignalR;

/// <summary>
/// Notifies a control plane's data planes through Azure SignalR Service: one REST send to its group,
/// or one per node to the node's user (the service has no send to a list of users).
/// </summary>
public sealed class SignalRServiceNotifier(SignalRServiceClient client) : IDataPlaneNotifier
{
    public async Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken) =>
        await client.SendToGroupAsync(
            DataPlaneHub.Name, DataPlaneHub.GroupOf(controlPlane), DataPlaneHub.ConfigUpdatedTarget,
            [new ConfigUpdated(controlPlane, configHash)], cancellationToken).ConfigureAwait(false);

    public async Task NotifyNodesAsync(Guid controlPlane, IReadOnlyCollection<Guid> nodes, string configHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        await Task.WhenAll(nodes.Select(node => client.SendToUserAsync(
            DataPlaneHub.Name, DataPlaneHub.UserOf(controlPlane, node.ToString()), DataPlaneHub.ConfigUpdatedTarget,
            [new ConfigUpdated(controlPlane, configHash)], cancellationToken))).ConfigureAwait(false);
    }
}
