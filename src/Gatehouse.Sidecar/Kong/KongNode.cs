using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Sidecar.Kong;

/// <summary>
/// A Kong node as its Admin API's <c>GET /</c> describes it: what the control plane checks
/// compatibility against. Its plugins are those it can run (<c>plugins.available_on_server</c>).
/// </summary>
internal sealed record KongNode(Guid NodeId, string Hostname, string Version, IReadOnlyList<NodePlugin> Plugins);
