namespace Gatehouse.Sidecar.Hub;

/// <summary>A push: the control plane has a new snapshot.</summary>
internal sealed record ConfigUpdated(Guid ControlPlaneId, string ConfigHash);
