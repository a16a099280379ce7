namespace Gatehouse.Core.Import;

/// <summary>
/// Sections decK and Kong files may have that Gatehouse refuses, each with why: Gatehouse manages
/// Kong Gateway 3.9 OSS data planes, and these belong to Kong Enterprise, to later Kong versions,
/// or to Konnect products other than its Runtime Manager. A file that has one is refused whole,
/// since importing the rest would silently drop what the section asks for.
/// </summary>
public static class UnsupportedSections
{
    private static readonly Dictionary<string, string> s_why = new(StringComparer.Ordinal)
    {
        ["_workspace"] = "workspaces are a Kong Enterprise feature; a Gatehouse control plane is one workspace, so import into the control plane instead",
        ["workspaces"] = "workspaces are a Kong Enterprise feature; a Gatehouse control plane is one workspace",
        ["rbac_roles"] = "RBAC roles are a Kong Enterprise feature",
        ["licenses"] = "licenses are for Kong Enterprise",
        ["custom_entities"] = "custom entities (degraphql routes) belong to Kong Enterprise plugins",
        ["degraphql_routes"] = "degraphql routes belong to the Kong Enterprise degraphql plugin",
        ["partials"] = "partials are a Kong Enterprise entity of Kong 3.10 and later; Gatehouse serves Kong 3.9",
        ["consumer_group_plugins"] = "consumer group plugin overrides are a Kong Enterprise feature",
        ["service_packages"] = "service packages belong to Konnect's Dev Portal, not to a control plane's gateway configuration",
        ["cloned_plugins"] = "cloned plugins are a Konnect feature for Kong Enterprise data planes",
        ["custom_plugins"] = "Konnect's streamed custom plugins need Kong Enterprise data planes; upload a custom plugin's schema to /core-entities/plugin-schemas and install its code on each node",
        ["filter_chains"] = "WebAssembly filter chains need Kong's experimental wasm support, which Gatehouse does not manage",
        ["parameters"] = "parameters are Kong's internal cluster settings, not configuration",
    };

    /// <summary>Why the section is refused, or null when it is not one Gatehouse knows to refuse.</summary>
    public static string? Why(string section) => s_why.GetValueOrDefault(section);
}
