namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// What Gatehouse concludes about data plane nodes from what they report, apart from where nodes
/// are kept: the node a heartbeat records, whether a node is still live, its compatibility with a
/// config, and whether it runs the expected one. Compatibility is judged against the current
/// snapshot each time, because it changes when the config does, not only when the node does.
/// </summary>
/// <param name="kongVersion">The Kong version this control plane serves configurations for.</param>
/// <param name="retention">How long a node unseen is still shown; after that it is forgotten.</param>
public sealed class NodeJudge(KongVersion kongVersion, TimeSpan retention)
{
    /// <summary>
    /// The node a heartbeat records: what it reported, which certificate it came with, seen
    /// <paramref name="now"/>. <paramref name="firstSeen"/> is when the node was first recorded, if it was.
    /// </summary>
    public DataPlaneNode Record(Guid controlPlaneId, Guid certificateId, HeartbeatReport report, DateTimeOffset? firstSeen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new DataPlaneNode
        {
            Id = report.NodeId,
            ControlPlaneId = controlPlaneId,
            Hostname = report.Hostname,
            Version = report.Version,
            Plugins = report.Plugins,
            ConfigHash = report.ConfigHash,
            Labels = report.Labels,
            CertificateId = certificateId,
            LastError = report.Error,
            LastPing = now,
            CreatedAt = firstSeen ?? now,
            UpdatedAt = now,
        };
    }

    /// <summary>Nodes last seen before this are forgotten.</summary>
    public DateTimeOffset Horizon(DateTimeOffset now) => now - retention;

    /// <summary>Whether the node has been seen within the retention time.</summary>
    public bool IsLive(DataPlaneNode node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.LastPing >= Horizon(now);
    }

    /// <summary>
    /// The node's compatibility with a snapshot that uses the plugins named: what a snapshot's
    /// pointer tells. An issue about a plugin names none of its instances then; when the verdict
    /// <see cref="CompatibilityStatus.ConcernsPlugins"/>, judge again with them.
    /// </summary>
    public CompatibilityStatus Compatibility(DataPlaneNode node, IReadOnlyCollection<string> plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        return Compatibility(node, plugins.ToDictionary(name => name, _ => (IReadOnlyList<string>)[], StringComparer.Ordinal));
    }

    /// <summary>The node's compatibility with a snapshot that uses <paramref name="instances"/> (plugin name to the ids of its instances).</summary>
    public CompatibilityStatus Compatibility(DataPlaneNode node, IReadOnlyDictionary<string, IReadOnlyList<string>> instances)
    {
        ArgumentNullException.ThrowIfNull(node);
        return NodeCompatibility.Check(kongVersion, node.Version, node.Plugins, instances);
    }
}
