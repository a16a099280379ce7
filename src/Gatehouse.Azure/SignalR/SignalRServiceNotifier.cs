using Gatehouse.Core.DataPlanes.Push;

namespace Gatehouse.Azure.SignalR;

/// <summary>Notifies a control plane's data planes through Azure SignalR Service: one REST send to its group.</summary>
public sealed class SignalRServiceNotifier(SignalRServiceClient client) : IDataPlaneNotifier
{
    public async Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken) =>
        await client.SendToGroupAsync(
            DataPlaneHub.Name, DataPlaneHub.GroupOf(controlPlane), DataPlaneHub.ConfigUpdatedTarget,
            [new ConfigUpdated(controlPlane, configHash)], cancellationToken).ConfigureAwait(false);
}
