using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Composition;

/// <summary>
/// The 32-hex hash a data plane reports back, and the per-section hashes Kong data planes use to
/// decide what to rebuild: the router when routes or services change, the plugins iterator
/// when plugins change, the balancer when upstreams or targets change. Each section hash is the
/// MD5 of the section's canonical JSON (keys sorted), so it changes exactly when the section
/// does; the config hash combines them as Kong does (kong/clustering/config_helper.lua).
/// </summary>
public sealed record ConfigHash(string Config, string Routes, string Services, string Plugins, string Upstreams, string Targets, string Rest)
{
    public static ConfigHash Of(JsonObject declarativeConfig)
    {
        var rest = (JsonObject)declarativeConfig.DeepClone();
        JsonNode? Take(string key)
        {
            var value = rest[key];
            rest.Remove(key);
            return value;
        }

        var routes = Take("routes");
        var services = Take("services");
        var plugins = Take("plugins");
        var upstreams = (JsonArray?)Take("upstreams")?.DeepClone();
        var targets = new JsonArray();
        foreach (var upstream in upstreams?.OfType<JsonObject>() ?? [])
        {
            if (upstream["targets"] is JsonArray nested)
            {
                foreach (var target in nested)
                {
                    var flat = (JsonObject)target!.DeepClone();
                    flat["upstream"] = upstream["id"]?.DeepClone();
                    targets.Add(flat);
                }
            }
            upstream.Remove("targets");
        }

        var (r, s, p, u, t, x) = (Md5(routes), Md5(services), Md5(plugins), Md5(upstreams), Md5(targets.Count == 0 ? null : targets), Md5(rest));
        return new ConfigHash(Md5Text(r + s + p + u + t + x), r, s, p, u, t, x);
    }

    /// <summary>Absent and empty sections hash alike, as a section Kong was not sent.</summary>
    private static string Md5(JsonNode? section) =>
        section is null or JsonArray { Count: 0 } ? Md5Text("") : Md5Text(Canonical(section));

    private static string Md5Text(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>JSON with object keys in ordinal order at every depth: one text for one content.</summary>
    public static string Canonical(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
