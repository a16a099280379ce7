namespace Gatehouse.Sidecar.Kong;

/// <summary>A Kong node as its Admin API's <c>GET /</c> describes it: what the control plane checks compatibility against.</summary>
internal sealed record KongNode(Guid NodeId, string Hostname, string Version, IReadOnlyList<KongPlugin> Plugins);

/// <summary>A plugin the node can run (<c>plugins.available_on_server</c>); custom plugins may have no version.</summary>
internal sealed record KongPlugin(string Name, string? Version);
