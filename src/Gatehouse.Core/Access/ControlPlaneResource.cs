namespace Gatehouse.Core.Access;

/// <summary>
/// What on a control plane a request reaches, as <see cref="Permissions"/> tells roles apart: the
/// control plane as a whole (its settings, data plane certificates and nodes, declarative import
/// and export, group membership), the control plane itself as something to read, its custom plugin
/// schemas, or the core entities of one collection, written flat or under a parent. Under a parent
/// only plugins differ: a plugin under a service is the service's, and Konnect lets the role that
/// administers services configure it.
/// </summary>
public sealed record ControlPlaneResource
{
    private ControlPlaneResource(string collection, string? parent)
    {
        Collection = collection;
        Parent = parent;
    }

    /// <summary>The core entity collection (<c>routes</c>), or one of the pseudo collections below.</summary>
    public string Collection { get; }

    /// <summary>The collection the path nests it under (<c>services</c> in <c>services/{id}/plugins</c>); null when flat.</summary>
    public string? Parent { get; }

    /// <summary>Everything on the control plane: Admin changes it, Viewer reads it.</summary>
    public static ControlPlaneResource Whole { get; } = new("*", null);

    /// <summary>The control plane itself and Kong's schemas: read by every role on it (Konnect: "list and read control planes").</summary>
    public static ControlPlaneResource Itself { get; } = new("control plane", null);

    /// <summary>Custom plugin schemas (Konnect's "custom plugins").</summary>
    public static ControlPlaneResource CustomPlugins { get; } = new("custom plugins", null);

    /// <summary>The entities of <paramref name="collection"/>, flat or under <paramref name="parent"/>.</summary>
    public static ControlPlaneResource Entities(string collection, string? parent = null) =>
        new(collection, parent is not null && collection == PluginsCollection ? parent : null);

    internal const string PluginsCollection = "plugins";

    public override string ToString() => Parent is null ? Collection : $"{Parent}/{{id}}/{Collection}";
}
