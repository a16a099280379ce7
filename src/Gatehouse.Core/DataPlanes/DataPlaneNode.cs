namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// A data plane node as its heartbeats describe it (Konnect's Node record): one per node id
/// within the control plane (or group) its certificate is pinned to.
/// </summary>
public sealed record DataPlaneNode
{
    /// <summary>The only node type Gatehouse serves, Koko's and Konnect's name for a Kong proxy.</summary>
    public const string KongProxy = "kong-proxy";

    public required Guid Id { get; init; }

    public required Guid ControlPlaneId { get; init; }

    public required string Hostname { get; init; }

    /// <summary>The node's Kong version as it reported it (e.g. <c>3.9.1.0</c>).</summary>
    public required string Version { get; init; }

    public IReadOnlyList<NodePlugin> Plugins { get; init; } = [];

    /// <summary>The hash of the config the node runs; empty before it has any.</summary>
    public string ConfigHash { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The pinned certificate the node last authenticated with.</summary>
    public required Guid CertificateId { get; init; }

    /// <summary>The last error the node reported applying a config (its Kong refused it), or null.</summary>
    public NodeError? LastError { get; init; }

    public required DateTimeOffset LastPing { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A plugin installed on a data plane; Kong reports plugins without a version too.</summary>
public sealed record NodePlugin(string Name, string? Version);

/// <summary>What a node said went wrong applying a config: Kong's message, and which config.</summary>
public sealed record NodeError(string Message, string? ConfigHash);
