using Gatehouse.Core.DataPlanes.Push;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// Forgets the pointer the data plane API holds for a control plane before telling its nodes it
/// moved: the pull each push causes then reads the new one.
/// </summary>
internal sealed class PointerForgettingNotifier(IDataPlaneNotifier inner, RecentPointers pointers) : IDataPlaneNotifier
{
    public Task NotifyAsync(Guid controlPlane, string configHash, CancellationToken cancellationToken)
    {
        pointers.Forget(controlPlane);
        return inner.NotifyAsync(controlPlane, configHash, cancellationToken);
    }

    public Task NotifyNodesAsync(Guid controlPlane, IReadOnlyCollection<Guid> nodes, string configHash, CancellationToken cancellationToken)
    {
        pointers.Forget(controlPlane);
        return inner.NotifyNodesAsync(controlPlane, nodes, configHash, cancellationToken);
    }
}
