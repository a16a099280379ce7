namespace Gatehouse.Core.ControlPlanes;

/// <summary>What a create request asks for; unset fields take Konnect's defaults.</summary>
public sealed record NewControlPlane
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public ClusterType? ClusterType { get; init; }

    public AuthType? AuthType { get; init; }

    public bool? CloudGateway { get; init; }

    public IReadOnlyList<ProxyUrl>? ProxyUrls { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>What a PATCH changes; null leaves a field as it is. Labels and proxy URLs are replaced whole.</summary>
public sealed record ControlPlaneChanges
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public AuthType? AuthType { get; init; }

    public IReadOnlyList<ProxyUrl>? ProxyUrls { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
