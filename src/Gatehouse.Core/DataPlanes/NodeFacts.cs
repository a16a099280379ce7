using System.Security.Cryptography;
using System.Text.Json;

namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// What a node's compatibility depends on, as it says it: its Kong version and installed plugins.
/// A config pull carries their <see cref="Hash(string, IEnumerable{NodePlugin})"/> (Kong's own pull, <c>/v1/outlet</c>, carries the
/// node's version the same way), so a control plane that has heard those very facts in a heartbeat
/// judges the node from memory instead of reading its row: after a push every node pulls at once.
/// The hash is of a canonical form — plugins in name order, a missing version apart from an empty
/// one — so the sidecar and the control plane compute it alike from what each holds.
/// </summary>
public static class NodeFacts
{
    /// <summary>32 lowercase hex digits.</summary>
    public static string Hash(string version, IEnumerable<NodePlugin> plugins)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(plugins);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(version);
            foreach (var plugin in plugins.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal))
            {
                json.WriteStringValue(plugin.Name);
                if (plugin.Version is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    json.WriteStringValue(plugin.Version);
                }
            }
            json.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))[..16]);
    }

    /// <inheritdoc cref="Hash(string, IEnumerable{NodePlugin})"/>
    public static string Hash(DataPlaneNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Hash(node.Version, node.Plugins);
    }
}
