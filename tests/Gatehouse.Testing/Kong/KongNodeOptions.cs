namespace Gatehouse.Testing.Kong;

/// <summary>
/// Who a <see cref="KongAdminStandIn"/> says it is on <c>GET /</c>, and which plugins it can run:
/// a test makes an incompatible node by giving it another major version or leaving a plugin out.
/// </summary>
public sealed record KongNodeOptions
{
    /// <summary>Kong's version at the mirrored source's HEAD (kong/meta.lua).</summary>
    public const string DefaultVersion = "3.10.0";

    public string Version { get; init; } = DefaultVersion;

    public Guid NodeId { get; init; } = Guid.NewGuid();

    public string Hostname { get; init; } = "kong-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// Plugin name → priority. Bundled plugins carry Kong's own version, so each reports
    /// <see cref="Version"/> unless <see cref="PluginVersions"/> says otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, int> Plugins { get; init; } = BundledPlugins;

    /// <summary>Versions that differ from <see cref="Version"/>, by plugin name.</summary>
    public IReadOnlyDictionary<string, string> PluginVersions { get; init; } = new Dictionary<string, string>();

    /// <summary>A slice of Kong's bundled plugins with their handlers' PRIORITY.</summary>
    public static IReadOnlyDictionary<string, int> BundledPlugins { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["correlation-id"] = 100001,
        ["cors"] = 2000,
        ["jwt"] = 1450,
        ["key-auth"] = 1250,
        ["basic-auth"] = 1100,
        ["ip-restriction"] = 990,
        ["acl"] = 950,
        ["rate-limiting"] = 910,
        ["request-transformer"] = 801,
        ["response-transformer"] = 800,
        ["proxy-cache"] = 100,
        ["prometheus"] = 13,
        ["http-log"] = 12,
        ["file-log"] = 9,
        ["request-termination"] = 2,
    };

    public string PluginVersion(string name) => PluginVersions.GetValueOrDefault(name) ?? Version;
}
