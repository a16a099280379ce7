namespace Gatehouse.Core.DataPlanes;

/// <summary>What a node says about itself in a heartbeat, validated.</summary>
public sealed record HeartbeatReport(
    Guid NodeId, string Hostname, string Version, IReadOnlyList<NodePlugin> Plugins, string ConfigHash,
    IReadOnlyDictionary<string, string> Labels, NodeError? Error);
