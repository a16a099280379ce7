using Gatehouse.Core.DataPlanes.Push;
using Microsoft.AspNetCore.SignalR;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>Notifies a control plane's data planes connected to this process's hub: its group, or some of its nodes as hub users.</summary>
internal sealed class LocalHubNotifier(IHubContext<LocalDataPlaneHub> hub) : IDataPlaneNotifier
{
    public Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken) =>
        hub.Clients.Group(DataPlaneHub.GroupOf(controlPlane))
            .SendAsync(DataPlaneHub.ConfigUpdatedTarget, new ConfigUpdated(controlPlane, configHash), cancellationToken);

    public Task NotifyNodesAsync(Guid controlPlane, IReadOnlyCollection<Guid> nodes, string configHash, CancellationToken cancellationToken) =>
        nodes.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Users([.. nodes.Select(n => DataPlaneHub.UserOf(controlPlane, n.ToString()))])
                .SendAsync(DataPlaneHub.ConfigUpdatedTarget, new ConfigUpdated(controlPlane, configHash), cancellationToken);
}
