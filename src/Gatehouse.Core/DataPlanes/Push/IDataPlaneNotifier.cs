namespace Gatehouse.Core.DataPlanes.Push;

/// <summary>
/// Tells the data planes of a control plane (or group) that its current snapshot changed, so that
/// they fetch it now instead of at their next poll. Push is an accelerator only: sidecars also poll,
/// so a notification that is lost, late or never sent delays a data plane by at most its poll
/// interval and never leaves it wrong. Adapters: the in-process SignalR hub (local) and Azure
/// SignalR Service in serverless mode.
/// </summary>
public interface IDataPlaneNotifier
{
    /// <summary>Sends <see cref="ConfigUpdated"/> to the hub group of <paramref name="controlPlane"/>.</summary>
    Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <see cref="ConfigUpdated"/> to <paramref name="nodes"/> of <paramref name="controlPlane"/> only
    /// (each the hub user <see cref="DataPlaneHub.UserOf"/> names): during a staged rollout a new canary
    /// is the target of its canaries alone, and a node told of a config it is not served keeps asking for it.
    /// </summary>
    Task NotifyNodesAsync(Guid controlPlane, IReadOnlyCollection<Guid> nodes, string configHash, CancellationToken cancellationToken);
}
