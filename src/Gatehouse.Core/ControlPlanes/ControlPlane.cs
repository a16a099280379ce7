namespace Gatehouse.Core.ControlPlanes;

/// <summary>A way in to the data planes of a control plane, shown to users (Konnect's proxy_urls).</summary>
public sealed record ProxyUrl(string Host, int Port, string Protocol);

/// <summary>
/// A separate configuration space for Kong entities, or (with <see cref="ClusterType.ControlPlaneGroup"/>)
/// a read-only union of other control planes. Every organization has one named <see cref="DefaultName"/>
/// that cannot be deleted.
/// </summary>
public sealed record ControlPlane
{
    public const string DefaultName = "default";

    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public ClusterType ClusterType { get; init; } = ClusterType.ControlPlane;

    public AuthType AuthType { get; init; } = AuthType.PinnedClientCerts;

    public bool CloudGateway { get; init; }

    public IReadOnlyList<ProxyUrl> ProxyUrls { get; init; } = [];

    /// <summary>The one control plane that always exists; it cannot be deleted or renamed.</summary>
    public bool IsDefault { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The store's concurrency token for this version; opaque to the domain.</summary>
    public string? Version { get; init; }

    public bool IsGroup => ClusterType == ClusterType.ControlPlaneGroup;
}
