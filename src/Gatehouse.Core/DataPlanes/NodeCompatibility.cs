namespace Gatehouse.Core.DataPlanes;

/// <summary>A node's compatibility with its control plane's config: Konnect's <c>compatibility_status</c>.</summary>
public sealed record CompatibilityStatus(string State, IReadOnlyList<CompatibilityIssue> Issues)
{
    // Koko's and Konnect's names (kong/admin/model/v1/node.proto CompatibilityState).
    public const string FullyCompatible = "COMPATIBILITY_STATE_FULLY_COMPATIBLE";
    public const string Incompatible = "COMPATIBILITY_STATE_INCOMPATIBLE";
    public const string Unknown = "COMPATIBILITY_STATE_UNKNOWN";

    public static CompatibilityStatus NotKnown { get; } = new(Unknown, []);

    public bool IsIncompatible => State == Incompatible;

    /// <summary>Whether an issue is about the config's plugins: those issues name the plugins' instances.</summary>
    public bool ConcernsPlugins => Issues.Any(i => i.Code is NodeCompatibility.PluginSetIncompatible or NodeCompatibility.PluginVersionIncompatible);
}

/// <summary>One reason a node cannot run the config (Konnect's NodeCompatibilityIssue).</summary>
public sealed record CompatibilityIssue(string Code, string Severity, string Description, string Resolution, IReadOnlyList<AffectedResource> AffectedResources);

/// <summary>An entity of the config an issue concerns, e.g. a plugin the node lacks.</summary>
public sealed record AffectedResource(string Id, string Type);

/// <summary>
/// Kong's hybrid-mode compatibility rules (kong/clustering/compat/init.lua), applied to what a
/// node reported: the node's Kong must have the control plane's major and a minor not newer
/// (<c>check_kong_version_compatibility</c>); every plugin the config uses (enabled) must be
/// installed on the node, with the same major as the control plane's and a minor not newer
/// (<c>check_configuration_compatibility</c>; a plugin without a version on either side is not
/// compared, as Kong does). Kong stops at the first problem; here every problem is listed, so an
/// operator fixes them in one go. Codes are Kong's own <c>sync_status</c> names for each failure.
/// </summary>
public static class NodeCompatibility
{
    public const string KongVersionIncompatible = "kong_version_incompatible";
    public const string PluginSetIncompatible = "plugin_set_incompatible";
    public const string PluginVersionIncompatible = "plugin_version_incompatible";
    private const string Error = "error";

    /// <param name="controlPlaneVersion">The Kong version the control plane speaks for (configuration).</param>
    /// <param name="nodeVersion">The node's Kong version as reported.</param>
    /// <param name="nodePlugins">The plugins installed on the node.</param>
    /// <param name="configured">The plugins the config uses: name to the ids of its instances.</param>
    /// <param name="pluginVersion">The control plane's version of a plugin; bundled plugins carry Kong's version.</param>
    public static CompatibilityStatus Check(
        KongVersion controlPlaneVersion, string nodeVersion, IReadOnlyList<NodePlugin> nodePlugins,
        IReadOnlyDictionary<string, IReadOnlyList<string>> configured, Func<string, KongVersion>? pluginVersion = null)
    {
        if (!KongVersion.TryParse(nodeVersion, out var node))
        {
            return CompatibilityStatus.NotKnown;
        }
        var issues = new List<CompatibilityIssue>();
        if (node.Major != controlPlaneVersion.Major || node.Minor > controlPlaneVersion.Minor)
        {
            issues.Add(new CompatibilityIssue(KongVersionIncompatible, Error,
                $"The data plane runs Kong {nodeVersion}; this control plane serves Kong {controlPlaneVersion} configurations, and a data plane must have the same major version and a minor version not newer.",
                $"Run Kong {controlPlaneVersion.Major}.x with a minor version of {controlPlaneVersion.Minor} or older on this data plane, or raise Gatehouse__KongVersion.",
                []));
        }

        var installed = new Dictionary<string, NodePlugin>(StringComparer.Ordinal);
        foreach (var plugin in nodePlugins)
        {
            installed.TryAdd(plugin.Name, plugin);
        }
        foreach (var (name, ids) in configured.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var affected = ids.Select(id => new AffectedResource(id, "plugin")).ToList();
            var expected = pluginVersion?.Invoke(name) ?? controlPlaneVersion;
            if (!installed.TryGetValue(name, out var plugin))
            {
                issues.Add(new CompatibilityIssue(PluginSetIncompatible, Error,
                    $"The configuration uses the {name} plugin ({expected}), which is not installed on the data plane.",
                    $"Install the {name} plugin on the data plane, or remove it from the configuration.",
                    affected));
            }
            else if (KongVersion.TryParse(plugin.Version, out var actual) && (actual.Major != expected.Major || actual.Minor > expected.Minor))
            {
                issues.Add(new CompatibilityIssue(PluginVersionIncompatible, Error,
                    $"The data plane's {name} plugin is version {plugin.Version}; the control plane's is {expected}, and they must have the same major version with the data plane's minor version not newer.",
                    $"Install {name} {expected.Major}.x with a minor version of {expected.Minor} or older on the data plane.",
                    affected));
            }
        }
        return issues.Count == 0
            ? new CompatibilityStatus(CompatibilityStatus.FullyCompatible, [])
            : new CompatibilityStatus(CompatibilityStatus.Incompatible, issues);
    }
}
