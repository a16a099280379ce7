using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Gatehouse.Functions.Composition;

/// <summary>JSON as YAML, the way kong.yaml files are kept: same keys and order, block style.</summary>
internal static class YamlText
{
    private static readonly ISerializer s_serializer = new SerializerBuilder().DisableAliases().Build();

    public static string From(JsonNode node) => s_serializer.Serialize(Plain(node));

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray array => array.Select(Plain).ToList(),
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => node.GetValue<JsonElement>().TryGetInt64(out var l) ? l : node.GetValue<JsonElement>().GetDouble(),
            _ => null,
        },
    };
}
