using Gatehouse.Core.DataPlanes.Push;
using Microsoft.AspNetCore.SignalR;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>Notifies a control plane's data planes connected to this process's hub.</summary>
internal sealed class LocalHubNotifier(IHubContext<LocalDataPlaneHub> hub) : IDataPlaneNotifier
{
    public Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken) =>
        hub.Clients.Group(DataPlaneHub.GroupOf(controlPlane))
            .SendAsync(DataPlaneHub.ConfigUpdatedTarget, new ConfigUpdated(controlPlane, configHash), cancellationToken);
}
