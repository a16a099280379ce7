using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Gatehouse.Functions.Composition;

/// <summary>JSON as YAML, the way kong.yaml files are kept: same keys and order, block style.</summary>
internal static class YamlText
{
    /// <summary>
    /// Strings that a reader would take for another type are quoted: unquoted, <c>_format_version: 3.0</c>
    /// reads back as a number, which Kong and our own import refuse, and a tag <c>"1"</c> or a header
    /// value <c>"on"</c> would change type. YAML 1.1's forms too (yes, no, on, off), since Kong reads
    /// kong.yaml with libyaml's 1.1 rules.
    /// </summary>
    private static readonly ISerializer s_serializer = new SerializerBuilder().WithQuotingNecessaryStrings(quoteYaml1_1Strings: true).DisableAliases().Build();

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
            // A number may be held as a JsonElement (parsed) or as an int or long (built in code).
            JsonValueKind.Number => JsonSerializer.SerializeToElement(node) is var number && number.TryGetInt64(out var l) ? l : number.GetDouble(),
            _ => null,
        },
    };
}
