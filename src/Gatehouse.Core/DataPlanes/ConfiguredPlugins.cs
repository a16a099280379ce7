using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// Which plugins a snapshot uses: name to the ids of its instances, as Kong's compatibility check
/// sees them (disabled plugins are not sent to data planes, so they do not count). Plugins may
/// sit at the top level or nested under services, routes and consumers: every <c>plugins</c>
/// array is read. Consumer credentials use their plugin too, without an instance: a data plane
/// without the plugin has no such section in its declarative schema and refuses the whole config.
/// </summary>
public static class ConfiguredPlugins
{
    /// <summary>
    /// The names of the plugins a snapshot of <paramref name="entities"/> uses, in ordinal order:
    /// what <see cref="Read"/> finds in it (Gatehouse writes every plugin at the top level), known
    /// before it is written, so a snapshot's pointer can carry them.
    /// </summary>
    public static IReadOnlyList<string> NamesIn(IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var plugin in entities.GetValueOrDefault("plugins") ?? [])
        {
            if (plugin["name"] is JsonValue name && name.TryGetValue<string>(out var text)
                && !(plugin["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on))
            {
                names.Add(text);
            }
        }
        foreach (var credentials in ConsumerCredentials.All)
        {
            if (entities.GetValueOrDefault(credentials.Name) is { Count: > 0 })
            {
                names.Add(ConsumerCredentials.PluginOf[credentials.DeclarativeKey]);
            }
        }
        return [.. names];
    }

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(ReadOnlyMemory<byte> snapshot)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(snapshot, new JsonDocumentOptions { MaxDepth = 256 });
        Walk(document.RootElement, found);
        return found.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Order(StringComparer.Ordinal)], StringComparer.Ordinal);
    }

    private static void Walk(JsonElement element, Dictionary<string, List<string>> found)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, found);
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "plugins" && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var plugin in property.Value.EnumerateArray())
                {
                    Add(plugin, found);
                }
            }
            else if (ConsumerCredentials.PluginOf.TryGetValue(property.Name, out var owner)
                && property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0)
            {
                found.TryAdd(owner, []);
            }
            else if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                Walk(property.Value, found);
            }
        }
    }

    private static void Add(JsonElement plugin, Dictionary<string, List<string>> found)
    {
        if (plugin.ValueKind != JsonValueKind.Object
            || !plugin.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || (plugin.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False))
        {
            return;
        }
        var id = plugin.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (!found.TryGetValue(name.GetString()!, out var ids))
        {
            found[name.GetString()!] = ids = [];
        }
        if (id.Length > 0)
        {
            ids.Add(id);
        }
    }
}
